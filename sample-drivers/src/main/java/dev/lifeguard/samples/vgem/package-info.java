/**
 * {@code vgem}: a GEM-only virtual driver on a driverless virtual device whose devm resources live in a devres
 * group, released explicitly when the device goes (no reference loop). It creates dumb buffers and imports
 * buffers of other drivers, such as {@code gpu}, through dma-buf.
 */
package dev.lifeguard.samples.vgem;
