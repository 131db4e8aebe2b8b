package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DrmScoped;

/**
 * A {@code struct drm_plane}. Create it with the drmm helpers ({@code Drmm}) or construct it inside a driver struct
 * and initialise it with {@code KmsObjects} (plain) or the drmm init helpers.
 *
 * <pre>{@code
 * DrmPlane plane = new DrmPlane("plane-0");   // embedded in the allocation that runs this constructor
 * }</pre>
 */
@DrmScoped
public final class DrmPlane extends DrmModeObject {
  /** @param name the name used in reports */
  public DrmPlane(String name) {
    super(name);
  }

  @Override
  public String kind() {
    return "plane";
  }

  @Override
  Class<?> funcsType() {
    return DrmPlaneFuncs.class;
  }

  @Override
  Class<?> selfType() {
    return DrmPlane.class;
  }

  /** The funcs table given at init. */
  public DrmPlaneFuncs funcs() {
    return (DrmPlaneFuncs) super.funcs();
  }
}
