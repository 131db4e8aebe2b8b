package dev.lifeguard.runtime.gem;

import dev.lifeguard.annotations.UserReachable;

/**
 * {@code struct drm_gem_object_funcs}: {@link #free} runs at the last reference drop, which userspace controls,
 * so it can run after unbind and must not touch hardware.
 *
 * <pre>{@code
 * GemObjectFuncs funcs = new GemObjectFuncs() {
 *   public void free(GemObject obj) { pool.release(obj.size()); }
 * };
 * }</pre>
 */
@UserReachable("GEM objects are freed at the last reference, held by userspace handles and dma-bufs")
public interface GemObjectFuncs {
  /** {@code .free}. */
  default void free(GemObject obj) {}
}
