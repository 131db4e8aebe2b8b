package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.TouchesHardware;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.module.KernelModule;

/**
 * Atomic modesetting entry points: {@code drm_atomic_commit} (here: update every plane, enable every crtc and
 * encoder) and {@code drm_atomic_helper_shutdown} (disable every crtc). They run the driver's KMS callbacks in
 * context {@code "atomic commit"} and touch every KMS object, so a freed (devm-embedded) object is a use after
 * free the runtime reports.
 *
 * <pre>{@code
 * DrmAtomic.commit(drm);     // e.g. from an ioctl, after unbind too
 * DrmAtomic.shutdown(drm);   // in remove, before devres goes
 * }</pre>
 */
public final class DrmAtomic {
  private DrmAtomic() {}

  /** {@code drm_atomic_commit}: plane updates, then crtc and encoder enables. */
  @TouchesHardware
  public static void commit(DrmDevice drm) {
    run(drm, () -> {
      drm.touch("drm_atomic_commit");
      checkModule(drm);
      DrmModeConfig mc = drm.modeConfig();
      for (DrmPlane p : mc.objects(DrmPlane.class)) {
        if (p.touch("atomic_update") && p.funcs() != null) {
          p.funcs().atomicUpdate(p);
        }
      }
      for (DrmCrtc c : mc.objects(DrmCrtc.class)) {
        if (c.touch("atomic_enable") && c.funcs() != null) {
          c.funcs().atomicEnable(c);
        }
      }
      for (DrmEncoder e : mc.objects(DrmEncoder.class)) {
        if (e.touch("atomic_enable") && e.funcs() != null) {
          e.funcs().atomicEnable(e);
        }
      }
    });
  }

  /** {@code drm_atomic_helper_shutdown}: disables every crtc. */
  @TouchesHardware
  public static void shutdown(DrmDevice drm) {
    run(drm, () -> {
      drm.touch("drm_atomic_helper_shutdown");
      checkModule(drm);
      for (DrmCrtc c : drm.modeConfig().objects(DrmCrtc.class)) {
        if (c.touch("atomic_disable") && c.funcs() != null) {
          c.funcs().atomicDisable(c);
        }
      }
    });
  }

  /** Runs a commit in context "atomic commit"; nested in the parent's bound context (remove) it stays bound. */
  private static void run(DrmDevice drm, Runnable body) {
    if (Kernel.inBoundContextOf(drm.parent())) {
      Kernel.inBoundContext(drm.parent(), "atomic commit", () -> {
        body.run();
        return null;
      });
    } else {
      Kernel.inContext("atomic commit", body);
    }
  }

  private static void checkModule(DrmDevice drm) {
    KernelModule owner = drm.driver().owner();
    if (owner != null) {
      owner.checkCode("atomic commit on drm " + drm.name());
    }
  }
}
