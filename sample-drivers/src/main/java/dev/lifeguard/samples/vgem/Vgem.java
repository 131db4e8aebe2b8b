package dev.lifeguard.samples.vgem;

import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.runtime.drm.DrmDevice;

/** The vgem container ({@code struct vgem_device}), allocated with {@code devm_drm_dev_alloc} in a devres group. */
public final class Vgem extends DrmDevice {
  @DrmScoped VgemStats stats;

  Vgem(Init init) {
    super(init);
  }

  /** {@code to_vgem(drm)}. */
  static Vgem of(DrmDevice drm) {
    return (Vgem) drm;
  }
}
