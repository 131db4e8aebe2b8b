package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DestroyHook;
import dev.lifeguard.annotations.UserReachable;

/**
 * {@code struct drm_crtc_funcs} with the atomic helper callbacks folded in. Defaults do nothing; the default
 * {@link #destroy} stands for a NULL hook.
 *
 * <pre>{@code
 * DrmCrtcFuncs funcs = new DrmCrtcFuncs() {
 *   public void atomicEnable(DrmCrtc crtc) { drm.guarded(() -> regs.writel(CRTC_EN, 1)); }
 * };
 * }</pre>
 */
@UserReachable("KMS callbacks run from atomic commits, also after unbind")
public interface DrmCrtcFuncs {
  /** {@code atomic_enable}. */
  default void atomicEnable(DrmCrtc crtc) {}

  /** {@code atomic_disable}. */
  default void atomicDisable(DrmCrtc crtc) {}

  /** {@code enable_vblank}; returns 0 or a negative errno. */
  default int enableVblank(DrmCrtc crtc) {
    return 0;
  }

  /** {@code .destroy}: must stay NULL (not overridden) on drmm-managed crtcs. */
  @DestroyHook
  default void destroy(DrmCrtc crtc) {}
}
