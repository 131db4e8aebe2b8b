package dev.lifeguard.benchmarks.runtime;

import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.drm.SrcuIdx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of the guard every hardware access of every ioctl pays: {@code DrmDevice.enter(SrcuIdx)} then
 * {@code exit}, against the read lock of a {@link ReentrantReadWriteLock} and against a bare volatile read (the
 * floor: what the kernel's {@code drm_dev_enter} costs on its fast path, roughly). Each measured on one thread and on
 * two threads sharing one device.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class GuardFastPath {
  private BenchDevices.BenchDrm drm;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private volatile boolean unplugged;

  /** Per-thread token, so two threads never share one. */
  @State(Scope.Thread)
  public static class Token {
    final SrcuIdx idx = new SrcuIdx();
  }

  /** One device for the whole run. */
  @Setup
  public void setUp() {
    Kernel.reset();
    drm = BenchDevices.newDrm("bench-guard");
  }

  /** {@code drm_dev_enter} + {@code drm_dev_exit}, one thread. */
  @Benchmark
  public boolean enterExit(Token t) {
    if (drm.enter(t.idx)) {
      drm.exit(t.idx);
      return true;
    }
    return false;
  }

  /** The same, two threads on one device. */
  @Benchmark
  @Threads(2)
  public boolean enterExit2Threads(Token t) {
    return enterExit(t);
  }

  /** A read lock taken and released, one thread. */
  @Benchmark
  public boolean readLock() {
    ReentrantReadWriteLock.ReadLock l = rw.readLock();
    l.lock();
    try {
      return true;
    } finally {
      l.unlock();
    }
  }

  /** The same, two threads on one lock. */
  @Benchmark
  @Threads(2)
  public boolean readLock2Threads() {
    return readLock();
  }

  /** The floor: one volatile read of an "unplugged" flag. */
  @Benchmark
  public boolean volatileRead() {
    return !unplugged;
  }

  /** The same, two threads. */
  @Benchmark
  @Threads(2)
  public boolean volatileRead2Threads() {
    return volatileRead();
  }
}
