package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DrmScoped;

/**
 * A {@code struct drm_connector}. Create it with the drmm helpers ({@code Drmm}) or construct it inside a driver struct
 * and initialise it with {@code KmsObjects} (plain) or the drmm init helpers.
 *
 * <pre>{@code
 * DrmConnector connector = new DrmConnector("connector-0");   // embedded in the allocation that runs this constructor
 * }</pre>
 */
@DrmScoped
public final class DrmConnector extends DrmModeObject {
  /** @param name the name used in reports */
  public DrmConnector(String name) {
    super(name);
  }

  @Override
  public String kind() {
    return "connector";
  }

  @Override
  Class<?> funcsType() {
    return DrmConnectorFuncs.class;
  }

  @Override
  Class<?> selfType() {
    return DrmConnector.class;
  }

  /** The funcs table given at init. */
  public DrmConnectorFuncs funcs() {
    return (DrmConnectorFuncs) super.funcs();
  }
}
