package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.UserReachable;

/**
 * A work item ({@code work_func_t}) that can outlive unbind.
 *
 * <pre>{@code
 * wq.queueWork(() -> drm.guarded(() -> regs.writel(FLUSH, 1)));
 * }</pre>
 */
@UserReachable("workers can run after unbind while the drm device lives")
@FunctionalInterface
public interface Work {
  /** The work. */
  void run();
}
