package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.Counterpart;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.annotations.Frees;
import dev.lifeguard.annotations.RegistersCleanup;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code drmm_*} API: resources tied to the drm device, released at the final {@code drm_dev_put} in reverse
 * order of registration ({@code drm_managed_release}), after the release hook.
 *
 * <pre>{@code
 * Drmm.modeConfigInit(drm);
 * Priv priv = Drmm.kzalloc(drm, Priv::new);
 * DrmPlane primary = Drmm.universalPlaneAlloc(drm, "primary", planeFuncs);
 * DrmCrtc crtc = Drmm.crtcAllocWithPlanes(drm, "crtc-0", primary, null, crtcFuncs);
 * Drmm.addAction(drm, "count", d -> count.dec());
 * }</pre>
 */
public final class Drmm {
  private Drmm() {}

  /**
   * {@code drmm_kzalloc}: memory freed at the final drm put. Every runtime object constructed while {@code ctor}
   * runs is embedded and freed with it. Returns null on an injected allocation failure.
   */
  @DrmScoped
  @Counterpart("dev.lifeguard.runtime.bus.Devm#kzalloc")
  public static <T> T kzalloc(DrmDevice drm, Supplier<T> ctor) {
    drm.touch("drmm_kzalloc");
    if (Kernel.shouldFailAllocation()) {
      return null;
    }
    List<KObject> embedded = new ArrayList<>();
    T mem = Kernel.collectEmbedded(ctor, embedded);
    String type = mem == null ? "null" : mem.getClass().getSimpleName();
    drm.addManaged(new DrmDevice.Managed("drmm_kzalloc " + type, d -> {
      for (int i = embedded.size() - 1; i >= 0; i--) {
        if (embedded.get(i).isAlive()) {
          embedded.get(i).free("drmm allocation of " + type + " released at the final drm_dev_put of drm "
              + d.name());
        }
      }
    }, mem, false, embedded));
    return mem;
  }

  /**
   * {@code drmm_kfree}: frees drmm memory early. Memory this device does not manage ({@code WARN_ON(!dr_match)})
   * is reported as {@link ViolationKind#DOUBLE_FREE}: its real owner frees it again.
   */
  public static void kfree(DrmDevice drm, @Frees Object mem) {
    DrmDevice.Managed m = drm.removeOldest(mem);
    if (m == null || m.memory == null) {
      if (m != null) {
        drm.addManaged(m);
      }
      Kernel.report(ViolationKind.DOUBLE_FREE, "drmm_kfree of `" + describe(mem) + "`, which drm " + drm.name()
          + " does not manage (already freed, or not drmm memory); from " + Kernel.currentContext());
      return;
    }
    String by = "drmm_kfree of " + m.name.substring("drmm_kzalloc ".length()) + " from " + Kernel.currentContext();
    for (int i = m.memory.size() - 1; i >= 0; i--) {
      if (m.memory.get(i).isAlive()) {
        m.memory.get(i).free(by);
      }
    }
  }

  private static String describe(Object mem) {
    return mem instanceof KObject ? ((KObject) mem).name() : String.valueOf(mem);
  }

  /**
   * {@code drmm_add_action}: runs {@code action} at the final drm put. Returns 0, or {@code -ENOMEM} (injected)
   * without running it ({@code __must_check}).
   */
  @Counterpart("dev.lifeguard.runtime.bus.Devm#addAction")
  public static int addAction(DrmDevice drm, DrmmAction action) {
    return addAction(drm, "action", action);
  }

  /** {@link #addAction(DrmDevice, DrmmAction)} with a name for reports and the context {@code "drmm action <name>"}. */
  @Counterpart("dev.lifeguard.runtime.bus.Devm#addAction")
  public static int addAction(DrmDevice drm, String name, DrmmAction action) {
    drm.touch("drmm_add_action");
    if (Kernel.shouldFailAllocation()) {
      return -Errno.ENOMEM;
    }
    drm.addManaged(new DrmDevice.Managed(name, action, action, true));
    return 0;
  }

  /** {@code drmm_add_action_or_reset}: like {@link #addAction} but runs the action at once when adding fails. */
  @Counterpart("dev.lifeguard.runtime.bus.Devm#addActionOrReset")
  public static int addActionOrReset(DrmDevice drm, DrmmAction action) {
    return addActionOrReset(drm, "action", action);
  }

  /** {@link #addActionOrReset(DrmDevice, DrmmAction)} with a name. */
  @Counterpart("dev.lifeguard.runtime.bus.Devm#addActionOrReset")
  public static int addActionOrReset(DrmDevice drm, String name, DrmmAction action) {
    int ret = addAction(drm, name, action);
    if (ret != 0) {
      drm.runManaged(new DrmDevice.Managed(name, action, action, true));
    }
    return ret;
  }

  /**
   * {@code drmm_release_action}: runs the oldest registration of {@code action} now and unlinks it. None
   * registered (WARN in the kernel) is reported as {@link ViolationKind#DOUBLE_FREE}.
   */
  @Counterpart("dev.lifeguard.runtime.bus.Devm#releaseAction")
  public static void releaseAction(DrmDevice drm, DrmmAction action) {
    DrmDevice.Managed m = drm.removeOldest(action);
    if (m == null) {
      Kernel.report(ViolationKind.DOUBLE_FREE, "drmm_release_action on drm " + drm.name()
          + " for an action that is not registered (already released?)");
      return;
    }
    drm.runManaged(m);
  }

  /** {@code drmm_mode_config_init}: initialises the mode config and registers {@code drm_mode_config_cleanup}. */
  @RegistersCleanup("mode-config")
  public static int modeConfigInit(DrmDevice drm) {
    DrmModeConfig.init(drm);
    drm.addManaged(new DrmDevice.Managed("drm_mode_config_cleanup",
        d -> d.modeConfig().cleanupOnce("drmm action drm_mode_config_cleanup"), "mode-config", false));
    return 0;
  }

  // ----------------------------------------------------------------------------------------------- managed KMS

  /** {@code drmm_crtc_alloc_with_planes}: a crtc in drmm memory whose cleanup is drmm-managed. */
  @DrmScoped
  @RegistersCleanup("crtc")
  public static DrmCrtc crtcAllocWithPlanes(DrmDevice drm, String name, DrmPlane primary, DrmPlane cursor,
      DrmCrtcFuncs funcs) {
    DrmCrtc crtc = kzalloc(drm, () -> new DrmCrtc(name));
    crtcInitWithPlanes(drm, crtc, primary, cursor, funcs);
    return crtc;
  }

  /** {@code drmm_crtc_init_with_planes}: inits {@code crtc} and registers {@code drm_crtc_cleanup} as drmm action. */
  @RegistersCleanup("crtc")
  public static int crtcInitWithPlanes(DrmDevice drm, DrmCrtc crtc, DrmPlane primary, DrmPlane cursor,
      DrmCrtcFuncs funcs) {
    KmsObjects.crtcInit(drm, crtc, primary, cursor, funcs);
    return manage(drm, crtc, "drm_crtc_cleanup");
  }

  /** {@code drmm_universal_plane_alloc}: a plane in drmm memory whose cleanup is drmm-managed. */
  @DrmScoped
  @RegistersCleanup("plane")
  public static DrmPlane universalPlaneAlloc(DrmDevice drm, String name, DrmPlaneFuncs funcs) {
    DrmPlane plane = kzalloc(drm, () -> new DrmPlane(name));
    KmsObjects.planeInit(drm, plane, funcs);
    manage(drm, plane, "drm_plane_cleanup");
    return plane;
  }

  /** {@code drmm_encoder_alloc}: an encoder in drmm memory whose cleanup is drmm-managed. */
  @DrmScoped
  @RegistersCleanup("encoder")
  public static DrmEncoder encoderAlloc(DrmDevice drm, String name, DrmEncoderFuncs funcs) {
    DrmEncoder enc = kzalloc(drm, () -> new DrmEncoder(name));
    encoderInit(drm, enc, funcs);
    return enc;
  }

  /** {@code drmm_encoder_init}: inits {@code encoder} and registers {@code drm_encoder_cleanup} as drmm action. */
  @RegistersCleanup("encoder")
  public static int encoderInit(DrmDevice drm, DrmEncoder encoder, DrmEncoderFuncs funcs) {
    KmsObjects.encoderInit(drm, encoder, funcs);
    return manage(drm, encoder, "drm_encoder_cleanup");
  }

  /** {@code drmm_connector_init}: inits {@code connector} and registers {@code drm_connector_cleanup}. */
  @RegistersCleanup("connector")
  public static int connectorInit(DrmDevice drm, DrmConnector connector, DrmConnectorFuncs funcs) {
    KmsObjects.connectorInit(drm, connector, funcs);
    return manage(drm, connector, "drm_connector_cleanup");
  }

  /**
   * Registers the object's cleanup as a drmm action. A destroy hook on a drmm-managed object is what the kernel
   * WARNs about at this point ({@code WARN_ON(funcs->destroy)}): {@code drm_mode_config_cleanup} would call it and
   * the drmm cleanup would clean the object up again. The runtime reports it here as {@link
   * ViolationKind#DOUBLE_FREE} and, like the kernel, goes on; if the mode config is cleaned up while the object
   * is still listed, the double cleanup itself is reported too when the drmm action runs.
   */
  private static int manage(DrmDevice drm, DrmModeObject obj, String cleanup) {
    if (obj.hasDestroyHook()) {
      Kernel.report(ViolationKind.DOUBLE_FREE, obj.kind() + " `" + obj.name() + "` is drmm-managed but its funcs"
          + " set the destroy hook: drm_mode_config_cleanup calls it and " + cleanup
          + " runs again at the final drm_dev_put (the destroy hook must be NULL)");
    }
    drm.addManaged(new DrmDevice.Managed(cleanup + " " + obj.name(), d -> obj.cleanup("drmm action " + cleanup),
        obj, false));
    return 0;
  }
}
