/**
 * {@code gpu}: a PCI render GPU with a register BAR, a completion interrupt, GEM buffers in VRAM, PRIME export and
 * a foreign {@code drm_pagemap} helper module that pins the GPU's drm device and module the safe way (F1). Its
 * module exit waits for the device count and the release barrier (seed 002).
 */
package dev.lifeguard.samples.gpu;
