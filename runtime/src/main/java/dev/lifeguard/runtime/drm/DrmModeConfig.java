package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.CleansUp;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code struct drm_mode_config}: the lists of KMS objects of a drm device. {@link #cleanup(DrmDevice)} is {@code
 * drm_mode_config_cleanup}: for every object still listed it touches it (a freed, devm-embedded object is a use
 * after free) and calls its destroy hook. Cleaning up twice (say, explicitly after {@code
 * drmm_mode_config_init}) is {@link ViolationKind#DOUBLE_FREE}.
 *
 * <pre>{@code
 * DrmModeConfig.init(drm);          // drm_mode_config_init, plain
 * ...
 * DrmModeConfig.cleanup(drm);       // in the release hook
 * }</pre>
 */
public final class DrmModeConfig {
  private final DrmDevice drm;
  private final List<DrmModeObject> objects = new CopyOnWriteArrayList<>();
  private volatile boolean initialized;
  private String cleanedBy;

  DrmModeConfig(DrmDevice drm) {
    this.drm = drm;
  }

  /** {@code drm_mode_config_init} (plain; the driver must call {@link #cleanup(DrmDevice)}). Returns 0. */
  public static int init(DrmDevice drm) {
    drm.touch("drm_mode_config_init");
    drm.modeConfig().initialized = true;
    return 0;
  }

  /** {@code drm_mode_config_cleanup}: explicit cleanup for plain-init drivers. */
  @CleansUp("mode-config")
  public static void cleanup(DrmDevice drm) {
    drm.touch("drm_mode_config_cleanup");
    drm.modeConfig().cleanupOnce("drm_mode_config_cleanup from " + Kernel.currentContext());
  }

  /** Whether initialised. */
  public boolean isInitialized() {
    return initialized;
  }

  /** The listed KMS objects, in init order. */
  public List<DrmModeObject> objects() {
    return List.copyOf(objects);
  }

  /** The listed objects of {@code type}. */
  public <T extends DrmModeObject> List<T> objects(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (DrmModeObject o : objects) {
      if (type.isInstance(o)) {
        out.add(type.cast(o));
      }
    }
    return out;
  }

  void add(DrmModeObject o) {
    objects.add(o);
  }

  void remove(DrmModeObject o) {
    objects.remove(o);
  }

  void cleanupOnce(String by) {
    synchronized (this) {
      if (cleanedBy != null) {
        Kernel.report(ViolationKind.DOUBLE_FREE, "double drm_mode_config_cleanup of drm " + drm.name()
            + ": first by " + cleanedBy + ", again by " + by);
        return;
      }
      cleanedBy = by;
    }
    KernelModule owner = drm.driver().owner();
    List<DrmModeObject> listed = new ArrayList<>(objects);
    for (int i = listed.size() - 1; i >= 0; i--) {
      DrmModeObject o = listed.get(i);
      if (!o.touch("drm_mode_config_cleanup walks " + o.kind() + " list")) {
        objects.remove(o);
        continue;
      }
      if (o.hasDestroyHook()) {
        if (owner != null) {
          owner.checkCode(o.kind() + " destroy hook of `" + o.name() + "`");
        }
        callDestroy(o);
      }
    }
    initialized = false;
  }

  private static void callDestroy(DrmModeObject o) {
    if (o instanceof DrmCrtc) {
      ((DrmCrtc) o).funcs().destroy((DrmCrtc) o);
    } else if (o instanceof DrmPlane) {
      ((DrmPlane) o).funcs().destroy((DrmPlane) o);
    } else if (o instanceof DrmEncoder) {
      ((DrmEncoder) o).funcs().destroy((DrmEncoder) o);
    } else if (o instanceof DrmConnector) {
      ((DrmConnector) o).funcs().destroy((DrmConnector) o);
    }
  }
}
