package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.UserReachable;

/**
 * An ioctl handler ({@code drm_ioctl_t}). It runs for as long as userspace holds an fd, also after unbind, so
 * hardware must be touched only inside a section.
 *
 * <pre>{@code
 * DrmIoctl setPlane = (file, arg) -> {
 *   SrcuIdx idx = new SrcuIdx();
 *   if (!drm.enter(idx)) return -Errno.ENODEV;
 *   try { regs.writel(PLANE, (int) arg); } finally { drm.exit(idx); }
 *   return 0;
 * };
 * }</pre>
 */
@UserReachable("ioctls run for as long as userspace holds an fd, also after unbind")
@FunctionalInterface
public interface DrmIoctl {
  /** Returns 0 or a negative errno. */
  int handle(DrmFile file, long arg);
}
