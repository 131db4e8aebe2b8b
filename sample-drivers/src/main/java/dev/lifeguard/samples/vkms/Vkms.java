package dev.lifeguard.samples.vkms;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.runtime.drm.DrmConnector;
import dev.lifeguard.runtime.drm.DrmCrtc;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmEncoder;
import dev.lifeguard.runtime.drm.DrmPlane;

/** The vkms container ({@code struct vkms_device}), allocated with {@code devm_drm_dev_alloc} on the faux device. */
public final class Vkms extends DrmDevice {
  /** Per-binding scratch memory (devm); used from user-reachable code only inside a section. */
  @BindingScoped ComposerScratch scratch;
  @DrmScoped VkmsOutput output;
  @DrmScoped DrmPlane primary;
  @DrmScoped DrmCrtc crtc;
  @DrmScoped DrmEncoder encoder;
  @DrmScoped DrmConnector connector;

  Vkms(Init init) {
    super(init);
  }

  /** {@code drm_device_to_vkms_device}. */
  static Vkms of(DrmDevice drm) {
    return (Vkms) drm;
  }

  /** Vblanks counted so far (drm-scoped state, valid after unbind too). */
  public long vblanks() {
    return output.vblanks();
  }
}
