package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Violation;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ioctls on several threads race a hot unplug on another. Bounded by {@code lifeguard.stress.iterations} (default
 * 300; {@code -Pstress} sets 20000) and by wall time.
 */
class StressTest {
  private static final int THREADS = 3;
  private static final long DEFAULT_BUDGET_MS = 4_000;

  static int iterations() {
    String p = System.getProperty("lifeguard.stress.iterations", "");
    return p.isBlank() ? 300 : Integer.parseInt(p.trim());
  }

  /** Runs iterations until the count or the time budget is used; returns how many ran. */
  private int run(boolean guarded, List<Violation> seen) throws InterruptedException {
    int n = iterations();
    long budget = n > 300 ? TimeUnit.MINUTES.toMillis(10) : DEFAULT_BUDGET_MS;
    long deadline = System.currentTimeMillis() + budget;
    int done = 0;
    for (; done < n && System.currentTimeMillis() < deadline; done++) {
      Kernel.reset();
      KernelModule m = KernelModule.load("panel");
      Bus spi = Bus.create("spi");
      Device dev = spi.addDevice("panel.0");
      Panel panel = new Panel(m);
      panel.guarded = guarded;
      spi.registerDriver(panel);
      DrmFile file = DrmFile.open(panel.drm);
      AtomicBoolean unplugged = new AtomicBoolean();
      AtomicInteger afterUnplug = new AtomicInteger();
      CountDownLatch started = new CountDownLatch(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread th = new Thread(() -> {
          started.countDown();
          // Each thread keeps going until it has run at least one ioctl after the unplug finished.
          boolean sawUnplug = false;
          while (!sawUnplug) {
            sawUnplug = unplugged.get();
            file.ioctl("SET_PLANE", 1);
          }
          afterUnplug.incrementAndGet();
        }, "ioctl-" + t);
        threads.add(th);
        th.start();
      }
      started.await();
      Thread unplugger = new Thread(() -> {
        spi.removeDevice(dev); // remove: drm_dev_unplug waits for sections in flight, then devres goes
        unplugged.set(true);
      }, "unplug");
      unplugger.start();
      unplugger.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(unplugger.isAlive()).isFalse();
      for (Thread th : threads) {
        th.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(th.isAlive()).isFalse();
      }
      assertThat(afterUnplug.get()).isEqualTo(THREADS);
      file.close();
      Kernel.checkLeaks();
      seen.addAll(Kernel.violations());
      if (!guarded && !seen.isEmpty()) {
        return done + 1;
      }
    }
    return done;
  }

  @Test
  void guardedDriverHasNoViolationsUnderConcurrentUnplug() throws Exception {
    List<Violation> seen = new ArrayList<>();
    int ran = run(true, seen);
    assertThat(ran).isGreaterThan(0);
    assertThat(seen).isEmpty();
  }

  @Test
  void unguardedAccessIsCaughtUnderConcurrentUnplug() throws Exception {
    List<Violation> seen = new ArrayList<>();
    run(false, seen);
    assertThat(seen.stream().anyMatch(v -> v.kind() == ViolationKind.UNGUARDED_HW_ACCESS
        || v.kind() == ViolationKind.USE_AFTER_UNBIND)).isTrue();
    assertThat(seen.stream().allMatch(v -> v.context().equals("ioctl SET_PLANE"))).isTrue();
  }
}
