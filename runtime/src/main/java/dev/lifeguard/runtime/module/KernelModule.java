package dev.lifeguard.runtime.module;

import dev.lifeguard.annotations.PinsModule;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loadable module ({@code struct module}): its refcount ({@code __module_get}, {@code try_module_get}, {@code
 * module_put}), {@code delete_module} (refused with {@code -EBUSY} while referenced) and whether its text is still
 * there. The runtime calls {@link #checkCode(String)} before running any driver callback; a callback of an unloaded
 * module is {@link ViolationKind#MODULE_CODE_AFTER_UNLOAD}: execution out of freed module text.
 *
 * <p>As in the kernel, the drm device does not pin its driver's module; open files ({@code fops.owner}) and
 * exported dma-bufs do (kernel-rules 1.8).
 *
 * <pre>{@code
 * KernelModule panel = KernelModule.load("panel", () -> { spi.registerDriver(drv); return 0; },
 *     () -> spi.unregisterDriver(drv));
 * boolean gone = panel.unload();   // false (EBUSY) while an fd is open
 * }</pre>
 */
public final class KernelModule {
  private enum State { LIVE, GOING, GONE }

  private final String name;
  private final ModuleExit exit;
  private final AtomicInteger refcount = new AtomicInteger();
  private volatile State state = State.LIVE;

  private KernelModule(String name, ModuleExit exit) {
    this.name = name;
    this.exit = exit;
  }

  /**
   * {@code insmod}: creates the module and runs {@code init} in context {@code "module_init <name>"}; a failing
   * init throws {@link ErrnoException} and leaves the module unloaded.
   */
  public static KernelModule load(String name, ModuleInit init, ModuleExit exit) {
    KernelModule m = new KernelModule(name, exit);
    int ret = init == null ? 0 : Kernel.inContext("module_init " + name, init::init);
    if (ret != 0) {
      m.state = State.GONE;
      throw new ErrnoException(-ret, "module_init of " + name + " failed");
    }
    return m;
  }

  /** A module with empty init and exit (for drivers whose registration the caller does itself). */
  public static KernelModule load(String name) {
    return load(name, null, null);
  }

  /** The module name. */
  public String name() {
    return name;
  }

  /** {@code __module_get}: takes a reference; the caller must already hold one or know the module is live. */
  @PinsModule
  public void get() {
    if (state == State.GONE) {
      Kernel.report(ViolationKind.MODULE_CODE_AFTER_UNLOAD, "__module_get on module " + name
          + ", which was already unloaded, from " + Kernel.currentContext());
    }
    refcount.incrementAndGet();
  }

  /** {@code try_module_get}: fails once the module is going away. */
  @PinsModule
  public boolean tryGet() {
    synchronized (this) {
      if (state != State.LIVE) {
        return false;
      }
      refcount.incrementAndGet();
      return true;
    }
  }

  /** {@code module_put}. A put without a reference is a {@link ViolationKind#DOUBLE_FREE}. */
  public void put() {
    if (refcount.decrementAndGet() < 0) {
      refcount.incrementAndGet();
      Kernel.report(ViolationKind.DOUBLE_FREE, "module_put on module " + name + " with no reference held");
    }
  }

  /** {@code module_refcount}. */
  public int refcount() {
    return refcount.get();
  }

  /**
   * {@code rmmod}: returns false ({@code -EBUSY}) while the refcount is above zero. Otherwise marks the module
   * going, runs its exit in context {@code "module_exit <name>"} (usually unregistering its drivers, which
   * unbinds), and frees its text: any later callback is {@link ViolationKind#MODULE_CODE_AFTER_UNLOAD}.
   */
  public boolean unload() {
    synchronized (this) {
      if (state != State.LIVE || refcount.get() > 0) {
        return false;
      }
      state = State.GOING;
    }
    try {
      if (exit != null) {
        Kernel.inContext("module_exit " + name, exit::exit);
      }
    } finally {
      state = State.GONE;
    }
    return true;
  }

  /** Whether the module text is there (live or still running its exit). */
  public boolean isLoaded() {
    return state != State.GONE;
  }

  /**
   * Checks that a callback of this module may run; reports {@link ViolationKind#MODULE_CODE_AFTER_UNLOAD} when
   * the module was unloaded. Returns true when its code is there.
   *
   * @param what the callback, e.g. {@code "release hook of drm panel"}
   */
  public boolean checkCode(String what) {
    if (state == State.GONE) {
      Kernel.report(ViolationKind.MODULE_CODE_AFTER_UNLOAD, what + " runs code of module " + name
          + ", which was already unloaded; from " + Kernel.currentContext());
      return false;
    }
    return true;
  }

  /** The errno {@code rmmod} returns when refused. */
  public static int busy() {
    return -Errno.EBUSY;
  }

  @Override
  public String toString() {
    return "KernelModule(" + name + ", refcount " + refcount.get() + ", " + state + ")";
  }
}
