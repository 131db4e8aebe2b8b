package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.UserReachable;

/**
 * A timer callback that can outlive unbind (e.g. a vblank timer).
 *
 * <pre>{@code
 * timer.modTimer(() -> drm.guarded(() -> regs.readl(VBLANK)));
 * }</pre>
 */
@UserReachable("timers can fire after unbind while the drm device lives")
@FunctionalInterface
public interface TimerFn {
  /** The callback. */
  void fire();
}
