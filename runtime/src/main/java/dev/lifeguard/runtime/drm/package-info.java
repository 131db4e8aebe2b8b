/** The drm device, drmm, unplug sections, files and ioctls, KMS objects, workers and timers. */
package dev.lifeguard.runtime.drm;
