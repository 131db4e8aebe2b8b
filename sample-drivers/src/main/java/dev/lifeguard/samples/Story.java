package dev.lifeguard.samples;

import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Small pieces the sample scenarios share: checked facts of a story, and userspace that keeps issuing an ioctl
 * while the device goes away.
 */
public final class Story {
  private Story() {}

  /**
   * States a fact of the story: prints {@code "checked: fact"}, or throws {@link IllegalStateException} when it
   * does not hold, so a scenario that went another way cannot end quietly.
   */
  public static void check(Scenario s, boolean holds, String fact) {
    if (!holds) {
      s.note("FAILED: " + fact);
      throw new IllegalStateException("scenario expectation failed: " + fact);
    }
    s.note("checked: " + fact);
  }

  /** Waits for {@code latch} (at most 10 s); throws when it never opened, so a broken story cannot hang. */
  public static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }

  /**
   * Userspace in a loop: issues ioctl {@code name} until it fails with {@code -ENODEV} (the device was unplugged)
   * or 10 s passed. Counts down {@code firstDone} after the first call returned, so the other side of the story
   * can start while calls are in flight. Prints a summary and returns every result in order.
   */
  public static List<Integer> ioctlUntilGone(Scenario s, DrmFile file, String name, long arg,
      CountDownLatch firstDone) {
    List<Integer> results = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        int ret = file.ioctl(name, arg);
        results.add(ret);
        firstDone.countDown();
        if (ret == -Errno.ENODEV) {
          break;
        }
        Thread.yield();
      }
    } finally {
      firstDone.countDown();
    }
    long ok = results.stream().filter(r -> r >= 0).count();
    int last = results.isEmpty() ? 0 : results.get(results.size() - 1);
    s.note(Thread.currentThread().getName() + ": " + ok + " " + name + " ioctl(s) succeeded, then "
        + (last < 0 ? "-" + Errno.name(last) : "no failure"));
    return results;
  }

  /**
   * An ioctl that returns a value (a handle, a count, a level) rather than 0: prints {@code "ioctl NAME(arg) =
   * value"} or the errno, and returns the result.
   */
  public static int ioctlValue(Scenario s, DrmFile file, String name, long arg) {
    int ret = s.step("ioctl " + name + "(" + arg + ")", () -> file.ioctl(name, arg));
    s.note(ret < 0 ? "ioctl " + name + " returned -" + Errno.name(ret) : "ioctl " + name + " = " + ret);
    return ret;
  }

  /** Whether the last of {@code results} is {@code -ENODEV}. */
  public static boolean endsWithEnodev(List<Integer> results) {
    return !results.isEmpty() && results.get(results.size() - 1) == -Errno.ENODEV;
  }

  /** Whether {@code results} start with at least one success. */
  public static boolean startedOk(List<Integer> results) {
    return !results.isEmpty() && results.get(0) >= 0;
  }
}
