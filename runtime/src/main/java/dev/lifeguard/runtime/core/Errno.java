package dev.lifeguard.runtime.core;

/**
 * The kernel errno values the runtime returns or throws (positive, as in {@code <uapi/asm-generic/errno-base.h>}).
 * Ioctl handlers return {@code -Errno.ENODEV} like kernel code returns {@code -ENODEV}.
 *
 * <pre>{@code
 * if (!drm.enter(idx)) return -Errno.ENODEV;
 * }</pre>
 */
public final class Errno {
  public static final int ENOMEM = 12;
  public static final int EBADF = 9;
  public static final int EBUSY = 16;
  public static final int ENODEV = 19;
  public static final int ENXIO = 6;
  public static final int EINVAL = 22;
  public static final int ENOENT = 2;

  private Errno() {}

  /** The symbolic name of {@code errno} (sign ignored), for reports. */
  public static String name(int errno) {
    switch (Math.abs(errno)) {
      case ENOMEM: return "ENOMEM";
      case EBADF: return "EBADF";
      case EBUSY: return "EBUSY";
      case ENODEV: return "ENODEV";
      case ENXIO: return "ENXIO";
      case EINVAL: return "EINVAL";
      case ENOENT: return "ENOENT";
      default: return "errno " + Math.abs(errno);
    }
  }
}
