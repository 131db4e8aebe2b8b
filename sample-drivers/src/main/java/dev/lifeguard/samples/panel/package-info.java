/**
 * {@code usbpanel}: a hot-unpluggable USB display. The controller's registers sit behind a transfer window mapped
 * with devres; everything userspace can reach lives in drmm memory; every register access from an ioctl or a KMS
 * callback sits inside a {@code drm_dev_enter} section; remove() unplugs, shuts the pipeline down and powers the
 * controller off from bound context.
 */
package dev.lifeguard.samples.panel;
