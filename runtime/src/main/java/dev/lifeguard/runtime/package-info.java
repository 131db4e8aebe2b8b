/** The reference runtime: an executable model of the kernel's device, devres, drm and module lifetimes. */
package dev.lifeguard.runtime;
