package dev.lifeguard.runtime.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@code struct kref}: the reference count of a device, a drm device, a GEM object or a dma-buf. The put that
 * drops the last reference tells its caller to release; a put with no reference left is reported as {@link
 * ViolationKind#DOUBLE_FREE} and changes nothing, so one bug does not cascade into a negative count.
 *
 * <pre>{@code
 * private final Kref ref = new Kref();
 * public void put() {
 *   if (ref.put(() -> "drm_dev_put on drm " + name() + " with no reference left")) {
 *     release();
 *   }
 * }
 * }</pre>
 */
public final class Kref {
  private final AtomicInteger count = new AtomicInteger(1);

  /** {@code kref_get}. */
  public void get() {
    count.incrementAndGet();
  }

  /**
   * {@code kref_put}: true when this put dropped the last reference and the caller must release.
   *
   * @param underflow the report for a put with no reference left
   */
  public boolean put(Supplier<String> underflow) {
    int n = count.decrementAndGet();
    if (n < 0) {
      count.incrementAndGet();
      Kernel.report(ViolationKind.DOUBLE_FREE, underflow.get());
      return false;
    }
    return n == 0;
  }

  /** {@code kref_read}. */
  public int read() {
    return count.get();
  }
}
