package dev.lifeguard.runtime.core;

/**
 * An error return of a kernel call that has no return value to carry it ({@code open()} failing with
 * {@code -ENODEV}, {@code rmmod} failing with {@code -EBUSY}). Ioctl handlers may throw it; dispatch turns it
 * into a negative return value.
 *
 * <pre>{@code
 * try { DrmFile.open(drm); } catch (ErrnoException e) { assert e.errno() == Errno.ENODEV; }
 * }</pre>
 */
public final class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  /** @param errno positive errno value, see {@link Errno} */
  public ErrnoException(int errno, String message) {
    super(Errno.name(errno) + ": " + message);
    this.errno = Math.abs(errno);
  }

  /** The positive errno value. */
  public int errno() {
    return errno;
  }
}
