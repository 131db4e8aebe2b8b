/**
 * {@code vkms}: a virtual KMS driver on a faux device. Its vblank timer is drm-scoped and can fire after unbind:
 * it counts the vblank in drm-scoped state and composes into the binding-scoped scratch buffer only inside a
 * section, and stops re-arming once the device is unplugged.
 */
package dev.lifeguard.samples.vkms;
