package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.RunsLater;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.module.KernelModule;

/**
 * A timer ({@code timer_setup}, {@code mod_timer}, {@code del_timer_sync}) such as a vblank timer. It fires when a
 * scenario calls {@link #runPending()}, in context {@code "timer <name>"}.
 *
 * <pre>{@code
 * DrmTimer t = DrmTimer.setup("vblank", module);
 * t.modTimer(() -> ...);
 * t.runPending();
 * }</pre>
 */
public final class DrmTimer {
  private final String name;
  private final KernelModule owner;
  private TimerFn armed;

  private DrmTimer(String name, KernelModule owner) {
    this.name = name;
    this.owner = owner;
  }

  /** {@code timer_setup}; {@code owner} is the module whose code the callback is (null: built-in). */
  public static DrmTimer setup(String name, KernelModule owner) {
    return new DrmTimer(name, owner);
  }

  /** {@code mod_timer}: arms the timer with {@code fn}. */
  public synchronized void modTimer(@RunsLater TimerFn fn) {
    armed = fn;
  }

  /** Same as {@link #modTimer}: the contract's generic name for deferred work. */
  public void queueWork(@RunsLater TimerFn fn) {
    modTimer(fn);
  }

  /** {@code del_timer_sync}: disarms; true when it was armed. */
  public synchronized boolean delete() {
    boolean was = armed != null;
    armed = null;
    return was;
  }

  /** Fires the timer if armed; returns whether it fired. */
  public boolean runPending() {
    TimerFn fn;
    synchronized (this) {
      fn = armed;
      armed = null;
    }
    if (fn == null) {
      return false;
    }
    Kernel.inContext("timer " + name, () -> {
      if (owner == null || owner.checkCode("timer " + name)) {
        fn.fire();
      }
    });
    return true;
  }
}
