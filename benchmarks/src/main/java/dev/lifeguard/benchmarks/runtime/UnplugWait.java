package dev.lifeguard.benchmarks.runtime;

import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.drm.SrcuIdx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long {@code drm_dev_unplug} takes with {@code sections} sections in flight on other threads, each of which
 * exits as soon as the unplug has begun: the cost of {@code synchronize_srcu} in the reference runtime (wake-up and
 * hand-off), not a sleep.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class UnplugWait {
  /** Sections in flight when unplug starts, each on its own thread. */
  @Param({"0", "1", "4", "16"})
  public int sections;

  private BenchDevices.BenchDrm drm;
  private final List<Thread> readers = new ArrayList<>();

  /** A fresh device with {@code sections} threads inside a section, parked until unplug starts. */
  @Setup(Level.Invocation)
  public void setUp() throws InterruptedException {
    Kernel.reset();
    drm = BenchDevices.newDrm("bench-unplug");
    CountDownLatch entered = new CountDownLatch(sections);
    readers.clear();
    for (int i = 0; i < sections; i++) {
      Thread t = new Thread(() -> {
        SrcuIdx idx = new SrcuIdx();
        if (drm.enter(idx)) {
          entered.countDown();
          try {
            while (!drm.isUnplugged()) {
              Thread.onSpinWait();
            }
          } finally {
            drm.exit(idx);
          }
        }
      });
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    entered.await();
  }

  /** The unplug, returning once every section has exited. */
  @Benchmark
  public boolean unplug() {
    drm.unplug();
    return drm.isUnplugged();
  }

  /** Joins the reader threads. */
  @TearDown(Level.Invocation)
  public void tearDown() throws InterruptedException {
    for (Thread t : readers) {
      t.join();
    }
  }
}
