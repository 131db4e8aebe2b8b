package dev.lifeguard.runtime.module;

import dev.lifeguard.annotations.AwaitsDevices;

/**
 * A driver's count of live drm devices (seed 002, xe's "device count"): incremented at alloc, decremented from a
 * drmm action or the release hook. A module exit waits for zero and then calls {@code
 * DrmDevice.releaseBarrier()} so that whoever dropped the last count has also finished running the module's
 * release callbacks.
 *
 * <pre>{@code
 * count.inc();
 * Drmm.addAction(drm, "device count", d -> count.dec());
 * // module_exit:
 * bus.unregisterDriver(drv); count.awaitZero(); DrmDevice.releaseBarrier();
 * }</pre>
 */
public final class DeviceCount {
  private int count;

  /** Counts one more device. */
  public synchronized void inc() {
    count++;
  }

  /** Counts one device less and wakes waiters at zero. */
  public synchronized void dec() {
    count--;
    if (count <= 0) {
      notifyAll();
    }
  }

  /** The current count. */
  public synchronized int count() {
    return count;
  }

  /** Waits until the count is zero. */
  @AwaitsDevices
  public synchronized void awaitZero() {
    boolean interrupted = false;
    while (count > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits at most {@code millis} for zero; returns whether it was reached. */
  @AwaitsDevices
  public synchronized boolean awaitZero(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (count > 0) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
