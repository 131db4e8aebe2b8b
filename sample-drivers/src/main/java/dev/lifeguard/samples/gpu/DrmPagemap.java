package dev.lifeguard.samples.gpu;

import dev.lifeguard.annotations.Counted;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device-memory pagemap of a GPU, handed to peer devices that map its VRAM ({@code struct drm_pagemap}). It
 * lives in another module than the GPU driver and holds a counted reference on the GPU's drm device together
 * with a reference on the GPU's module, so the drm device's release callbacks cannot outlive the module text
 * (the F1 fix). The last put drops both from the helper module's worker: the drm device first, the module last.
 */
public final class DrmPagemap {
  @Counted private final DrmDevice drm;
  private final KernelModule drmOwner;
  private final DrmPagemapModule home;
  private final AtomicInteger refs = new AtomicInteger(1);

  DrmPagemap(DrmDevice drm, KernelModule drmOwner, DrmPagemapModule home) {
    this.drm = drm;
    this.drmOwner = drmOwner;
    this.home = home;
  }

  /** The drm device whose memory this pagemap describes. */
  public DrmDevice drm() {
    return drm;
  }

  /** {@code drm_pagemap_get}. */
  public DrmPagemap get() {
    refs.incrementAndGet();
    return this;
  }

  /** {@code drm_pagemap_put}: the last put queues the release on the helper module's worker. */
  public void put() {
    if (refs.decrementAndGet() == 0) {
      home.queueRelease(this);
    }
  }

  /**
   * Drops the drm reference, which may be the final put and run the GPU driver's release hook and drmm actions,
   * and only then the module reference that kept that code loaded.
   */
  void release() {
    drm.put();
    if (drmOwner != null) {
      drmOwner.put();
    }
  }
}
