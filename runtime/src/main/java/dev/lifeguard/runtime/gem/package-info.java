/** GEM objects, dma-bufs and PRIME export/import, with the one-way reference chain of drm_prime.c. */
package dev.lifeguard.runtime.gem;
