/**
 * Sample drivers written correctly against the Lifeguard runtime, one subpackage each: a hot-unpluggable USB
 * display ({@code panel}), a PCI GPU with GEM, PRIME and a foreign drm_pagemap helper ({@code gpu}), a virtual KMS
 * driver on a faux device ({@code vkms}) and a GEM-only virtual driver on a devres group ({@code vgem}). Each
 * package has a {@code *Scenarios} class whose hot-unplug stories finish without violations or leaks.
 */
package dev.lifeguard.samples;
