package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DrmScoped;

/**
 * A {@code struct drm_encoder}. Create it with the drmm helpers ({@code Drmm}) or construct it inside a driver struct
 * and initialise it with {@code KmsObjects} (plain) or the drmm init helpers.
 *
 * <pre>{@code
 * DrmEncoder encoder = new DrmEncoder("encoder-0");   // embedded in the allocation that runs this constructor
 * }</pre>
 */
@DrmScoped
public final class DrmEncoder extends DrmModeObject {
  /** @param name the name used in reports */
  public DrmEncoder(String name) {
    super(name);
  }

  @Override
  public String kind() {
    return "encoder";
  }

  @Override
  Class<?> funcsType() {
    return DrmEncoderFuncs.class;
  }

  @Override
  Class<?> selfType() {
    return DrmEncoder.class;
  }

  /** The funcs table given at init. */
  public DrmEncoderFuncs funcs() {
    return (DrmEncoderFuncs) super.funcs();
  }
}
