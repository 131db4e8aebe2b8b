package dev.lifeguard.runtime.scenario;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Violation;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.gem.Prime;
import dev.lifeguard.runtime.module.KernelModule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A hot-unplug story told step by step. {@link #begin(String)} starts a fresh world ({@link Kernel#reset()}); each
 * step is printed before it runs and each violation as it happens, so a failing scenario reads as a story;
 * {@link #end()} runs the leak check and returns a {@link ScenarioResult}.
 *
 * <pre>{@code
 * Scenario s = Scenario.begin("unplug with an open fd while ioctls are in flight");
 * Bus spi = Bus.create("spi");
 * Device dev = s.step("add spi:panel.0", () -> spi.addDevice("panel.0"));
 * s.probe(spi, dev, driver);
 * DrmFile f = s.open(driver.drm);
 * s.concurrently("ioctls in flight during unplug",
 *     () -> s.ioctl(f, "SET_PLANE", 1),
 *     () -> s.unplug(spi, dev));
 * s.ioctl(f, "SET_PLANE", 1);
 * s.close(f);
 * s.end().assertClean();
 * }</pre>
 */
public final class Scenario {
  private final String title;
  private final PrintStream out;
  private final StringBuilder story = new StringBuilder();
  private int steps;

  private Scenario(String title, PrintStream out) {
    this.title = title;
    this.out = out;
  }

  /** Starts a scenario in a fresh world, printing to {@code System.out}. */
  public static Scenario begin(String title) {
    return begin(title, System.out);
  }

  /** Starts a scenario in a fresh world, printing to {@code out} (null: record only). */
  public static Scenario begin(String title, PrintStream out) {
    Kernel.reset();
    Scenario s = new Scenario(title, out);
    Kernel.onViolation(s::printViolation);
    s.print("== scenario: " + title);
    return s;
  }

  private synchronized void print(String line) {
    story.append(line).append('\n');
    if (out != null) {
      out.println(line);
    }
  }

  private void printViolation(Violation v) {
    print("   !! " + v);
  }

  /** A step: prints {@code "[n] what"} and runs {@code body}. */
  public void step(String what, Runnable body) {
    step(what, () -> {
      body.run();
      return null;
    });
  }

  /** A step with a result. */
  public <T> T step(String what, Supplier<T> body) {
    int n;
    synchronized (this) {
      n = ++steps;
    }
    print("[" + n + "] " + what + (Thread.currentThread().getName().equals("main") ? ""
        : "   (on " + Thread.currentThread().getName() + ")"));
    return body.get();
  }

  /** Prints a note without running anything. */
  public void note(String text) {
    print("    " + text);
  }

  /** Binds {@code drv} to {@code dev} (probe); prints the result. */
  public int probe(Bus bus, Device dev, BusDriver drv) {
    int ret = step("probe " + dev.name() + " with " + drv.name(), () -> bus.bind(dev, drv));
    if (ret != 0) {
      note("probe failed: " + Errno.name(ret));
    }
    return ret;
  }

  /** Same as {@link #probe}: rebinding after an unbind, a new binding with fresh devres. */
  public int rebind(Bus bus, Device dev, BusDriver drv) {
    int ret = step("rebind " + dev.name() + " to " + drv.name(), () -> bus.bind(dev, drv));
    if (ret != 0) {
      note("rebind failed: " + Errno.name(ret));
    }
    return ret;
  }

  /** {@code drm_dev_register}. */
  public void register(DrmDevice drm) {
    step("drm_dev_register " + drm.name(), drm::register);
  }

  /** Userspace opens the card; returns null (and prints the errno) when open fails. */
  public DrmFile open(DrmDevice drm) {
    return step("open /dev/dri/card of " + drm.name(), () -> {
      try {
        return DrmFile.open(drm);
      } catch (dev.lifeguard.runtime.core.ErrnoException e) {
        note("open failed: " + e.getMessage());
        return null;
      }
    });
  }

  /** Userspace runs ioctl {@code name}; prints a nonzero result. */
  public int ioctl(DrmFile file, String name, long arg) {
    int ret = step("ioctl " + name + "(" + arg + ")", () -> file.ioctl(name, arg));
    if (ret != 0) {
      note("ioctl " + name + " returned -" + Errno.name(ret));
    }
    return ret;
  }

  /** PRIME export of {@code handle} ({@code DRM_IOCTL_PRIME_HANDLE_TO_FD}); the caller owns the fd reference. */
  public DmaBuf export(DrmFile file, int handle) {
    return step("export handle " + handle + " of " + file.drm().name() + " as dma-buf",
        () -> Prime.handleToFd(file, handle));
  }

  /** PRIME import ({@code DRM_IOCTL_PRIME_FD_TO_HANDLE}); returns the handle. */
  public int importBuf(DrmFile file, DmaBuf buf) {
    return step("import " + buf.name() + " into " + file.drm().name(), () -> Prime.fdToHandle(file, buf));
  }

  /** Hot unplug of the hardware: the bus removes the device (remove, devres, device_del, put). */
  public void unplug(Bus bus, Device dev) {
    step("hot unplug " + dev.name(), () -> bus.removeDevice(dev));
  }

  /** Unbinds the driver through sysfs ({@code echo dev > unbind}). */
  public void unbind(Bus bus, Device dev) {
    step("unbind " + dev.name(), () -> bus.unbind(dev));
  }

  /** Userspace closes the file. */
  public void close(DrmFile file) {
    step("close fd of " + file.drm().name(), file::close);
  }

  /** Userspace closes a dma-buf fd. */
  public void close(DmaBuf buf) {
    step("close fd of " + buf.name(), buf::put);
  }

  /** {@code drm_dev_put}. */
  public void put(DrmDevice drm) {
    step("drm_dev_put " + drm.name(), drm::put);
  }

  /** {@code rmmod}; prints EBUSY when refused. */
  public boolean unloadModule(KernelModule module) {
    boolean ok = step("rmmod " + module.name(), module::unload);
    if (!ok) {
      note("rmmod " + module.name() + ": EBUSY (refcount " + module.refcount() + ")");
    }
    return ok;
  }

  /**
   * Runs {@code tasks} at the same time on real threads (ioctls in flight while unplug runs) and waits for all of
   * them, at most 30 s. An exception on a task thread is rethrown here after all finished.
   */
  public void concurrently(String what, Runnable... tasks) {
    step("concurrently: " + what, () -> {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      List<RuntimeException> failures = new ArrayList<>();
      for (int i = 0; i < tasks.length; i++) {
        Runnable task = tasks[i];
        Thread t = new Thread(() -> {
          try {
            start.await();
            task.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        }, "task-" + (i + 1));
        threads.add(t);
        t.start();
      }
      start.countDown();
      for (Thread t : threads) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
          throw new IllegalStateException("scenario task " + t.getName() + " did not finish in 30 s (deadlock?)");
        }
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
    });
  }

  /** Ends the story: runs the leak check, prints a summary and returns the result. */
  public ScenarioResult end() {
    print("[end] leak check");
    Kernel.checkLeaks();
    List<Violation> all = Kernel.violations();
    print("== " + (all.isEmpty() ? "clean" : all.size() + " violation(s)") + ": " + title);
    Kernel.onViolation(null);
    return new ScenarioResult(title, all, story.toString());
  }
}
