package dev.lifeguard.samples.gpu;

import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.Workqueue;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.samples.Dmesg;

/**
 * The {@code drm_pagemap} helper module: creates pagemaps of GPU memory for peer devices and releases them from
 * its own worker. Its exit flushes that worker, so no release is left pending when its text goes.
 */
public final class DrmPagemapModule {
  private final Dmesg dmesg = new Dmesg();
  private KernelModule module;
  private Workqueue releases;

  private DrmPagemapModule() {}

  /** {@code insmod drm_pagemap}. */
  public static DrmPagemapModule insmod() {
    DrmPagemapModule m = new DrmPagemapModule();
    m.module = KernelModule.load("drm_pagemap", null, m::exit);
    m.releases = Workqueue.alloc("drm_pagemap_release", m.module);
    return m;
  }

  private void exit() {
    int ran = releases.runPending();
    dmesg.log("drm_pagemap: module exit flushed " + ran + " release(s)");
  }

  /**
   * {@code drm_pagemap_create}: a pagemap of {@code drm}'s memory. The caller holds a reference on {@code drm}
   * (an open fd, a probe). Takes the drm device's module first, then the drm reference; fails with {@code
   * -ENODEV} when that module is going away.
   */
  public DrmPagemap create(DrmDevice drm) {
    KernelModule owner = drm.driver().owner();
    if (owner != null && !owner.tryGet()) {
      throw new ErrnoException(Errno.ENODEV, "drm_pagemap_create: module " + owner.name() + " is going away");
    }
    drm.get();
    dmesg.log("drm_pagemap: pagemap of " + drm.name() + " created");
    return new DrmPagemap(drm, owner, this);
  }

  void queueRelease(DrmPagemap pagemap) {
    releases.queueWork(pagemap::release);
  }

  /** Runs the queued releases ({@code flush_work}); returns how many ran. */
  public int flush() {
    return releases.runPending();
  }

  /** The module. */
  public KernelModule module() {
    return module;
  }

  /** The helper's log. */
  public Dmesg dmesg() {
    return dmesg;
  }
}
