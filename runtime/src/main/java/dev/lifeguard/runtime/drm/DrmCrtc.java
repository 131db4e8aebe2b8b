package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DrmScoped;

/**
 * A {@code struct drm_crtc}. Create it with the drmm helpers ({@code Drmm}) or construct it inside a driver struct
 * and initialise it with {@code KmsObjects} (plain) or the drmm init helpers.
 *
 * <pre>{@code
 * DrmCrtc crtc = new DrmCrtc("crtc-0");   // embedded in the allocation that runs this constructor
 * }</pre>
 */
@DrmScoped
public final class DrmCrtc extends DrmModeObject {
  /** @param name the name used in reports */
  public DrmCrtc(String name) {
    super(name);
  }

  @Override
  public String kind() {
    return "crtc";
  }

  @Override
  Class<?> funcsType() {
    return DrmCrtcFuncs.class;
  }

  @Override
  Class<?> selfType() {
    return DrmCrtc.class;
  }

  /** The funcs table given at init. */
  public DrmCrtcFuncs funcs() {
    return (DrmCrtcFuncs) super.funcs();
  }
}
