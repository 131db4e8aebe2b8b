package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DestroyHook;
import dev.lifeguard.annotations.UserReachable;

/**
 * {@code struct drm_encoder_funcs} with the encoder helpers' enable/disable.
 *
 * <pre>{@code
 * DrmEncoderFuncs funcs = new DrmEncoderFuncs() {};
 * }</pre>
 */
@UserReachable("KMS callbacks run from atomic commits, also after unbind")
public interface DrmEncoderFuncs {
  /** {@code atomic_enable}. */
  default void atomicEnable(DrmEncoder encoder) {}

  /** {@code .destroy}: must stay NULL (not overridden) on drmm-managed encoders. */
  @DestroyHook
  default void destroy(DrmEncoder encoder) {}
}
