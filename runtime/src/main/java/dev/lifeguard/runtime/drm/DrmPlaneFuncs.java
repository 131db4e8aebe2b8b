package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DestroyHook;
import dev.lifeguard.annotations.UserReachable;

/**
 * {@code struct drm_plane_funcs} with {@code atomic_update} of the plane helpers.
 *
 * <pre>{@code
 * DrmPlaneFuncs funcs = new DrmPlaneFuncs() {
 *   public void atomicUpdate(DrmPlane p) { drm.guarded(() -> regs.writel(FB_ADDR, 0x1000)); }
 * };
 * }</pre>
 */
@UserReachable("KMS callbacks run from atomic commits, also after unbind")
public interface DrmPlaneFuncs {
  /** {@code atomic_update}. */
  default void atomicUpdate(DrmPlane plane) {}

  /** {@code .destroy}: must stay NULL (not overridden) on drmm-managed planes. */
  @DestroyHook
  default void destroy(DrmPlane plane) {}
}
