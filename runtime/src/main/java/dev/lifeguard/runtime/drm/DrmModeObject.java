package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import java.lang.reflect.Method;

/**
 * Base of the KMS objects ({@code struct drm_mode_object}): crtc, plane, encoder, connector. They belong to the
 * drm device's lifetime: allocate them with the {@code drmm_*} helpers or in drmm memory; in devm memory they are
 * freed at unbind while the mode config still lists them (the runtime then reports the use after free).
 *
 * <pre>{@code
 * DrmCrtc crtc = Drmm.crtcAllocWithPlanes(drm, "crtc-0", primary, null, funcs);
 * }</pre>
 */
@DrmScoped
public abstract class DrmModeObject extends KObject {
  private volatile DrmDevice drm;
  private volatile Object funcs;
  private volatile String cleanedBy;

  DrmModeObject(String name) {
    super(name);
  }

  /** The drm device it was initialised on, or null before init. */
  public DrmDevice drm() {
    return drm;
  }

  /** {@code "crtc"}, {@code "plane"}, {@code "encoder"} or {@code "connector"}. */
  public abstract String kind();

  abstract Class<?> funcsType();

  abstract Class<?> selfType();

  void init(DrmDevice drm, Object funcs) {
    touch("drm_" + kind() + "_init");
    this.drm = drm;
    this.funcs = funcs;
    drm.modeConfig().add(this);
  }

  Object funcs() {
    return funcs;
  }

  /** Whether the funcs table overrides its {@code @DestroyHook} method (the kernel: {@code funcs->destroy != NULL}). */
  public boolean hasDestroyHook() {
    Object f = funcs;
    if (f == null) {
      return false;
    }
    try {
      Method m = f.getClass().getMethod("destroy", selfType());
      return m.getDeclaringClass() != funcsType();
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * {@code drm_crtc_cleanup} and friends: unlinks the object from the mode config. A second cleanup is {@link
   * ViolationKind#DOUBLE_FREE}.
   *
   * @param by who cleans it up, for reports
   */
  public void cleanup(String by) {
    touch("drm_" + kind() + "_cleanup");
    synchronized (this) {
      if (cleanedBy != null) {
        Kernel.report(ViolationKind.DOUBLE_FREE, "double cleanup of " + kind() + " `" + name() + "`: first by "
            + cleanedBy + ", again by " + by);
        return;
      }
      cleanedBy = by;
    }
    DrmDevice d = drm;
    if (d != null) {
      d.modeConfig().remove(this);
    }
  }

  /** Whether cleaned up. */
  public boolean isCleanedUp() {
    return cleanedBy != null;
  }
}
