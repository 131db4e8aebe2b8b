package dev.lifeguard.samples.panel;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.runtime.bus.Clock;
import dev.lifeguard.runtime.bus.MmioRegion;
import dev.lifeguard.runtime.drm.DrmConnector;
import dev.lifeguard.runtime.drm.DrmCrtc;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmEncoder;
import dev.lifeguard.runtime.drm.DrmPlane;

/**
 * The usbpanel container ({@code struct usbpanel_device}), allocated with {@code devm_drm_dev_alloc}: devres drops
 * its initial reference at unbind and drmm frees it after the final {@code drm_dev_put}. It outlives the binding
 * while userspace holds an fd, so its hardware fields are binding-scoped and used only in sections or in bound
 * context.
 */
public final class PanelDevice extends DrmDevice {
  /** Controller registers behind the USB transfer window; unmapped at unbind. */
  @BindingScoped MmioRegion regs;
  /** Pixel clock of the controller; put at unbind. */
  @BindingScoped Clock pclk;
  /** Userspace-visible settings; freed at the final drm put. */
  @DrmScoped PanelState state;
  @DrmScoped DrmPlane primary;
  @DrmScoped DrmCrtc crtc;
  @DrmScoped DrmEncoder encoder;
  @DrmScoped DrmConnector connector;

  PanelDevice(Init init) {
    super(init);
  }

  /** {@code to_usbpanel(drm)}. */
  static PanelDevice of(DrmDevice drm) {
    return (PanelDevice) drm;
  }

  /** The backlight level userspace last set (drm-scoped state, readable after unplug too). */
  public int backlight() {
    return state.backlight();
  }
}
