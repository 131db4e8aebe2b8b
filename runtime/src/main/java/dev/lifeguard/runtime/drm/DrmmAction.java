package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.Lifetime;
import dev.lifeguard.annotations.ManagedAction;
import dev.lifeguard.annotations.UserReachable;

/**
 * A drmm action ({@code drmres_release_t}): runs at the final drm put, after the release hook, LIFO. That is after
 * unbind, so it must not touch hardware.
 *
 * <pre>{@code
 * Drmm.addAction(drm, "device count", d -> count.dec());
 * }</pre>
 */
@ManagedAction(Lifetime.DRM)
@UserReachable("drmm actions run at the final drm put, after unbind")
@FunctionalInterface
public interface DrmmAction {
  /** The action. */
  void release(DrmDevice drm);
}
