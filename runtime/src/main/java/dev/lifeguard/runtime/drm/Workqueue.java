package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.RunsLater;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A workqueue ({@code alloc_workqueue}, {@code queue_work}, {@code flush_workqueue}, {@code cancel_work_sync}).
 * Work runs when a scenario calls {@link #runPending()}, in context {@code "work <name>"}, without the sections
 * of whoever queued it.
 *
 * <pre>{@code
 * Workqueue wq = Workqueue.alloc("panel-flush", module);
 * wq.queueWork(() -> ...);
 * wq.runPending();
 * }</pre>
 */
public final class Workqueue {
  private final String name;
  private final KernelModule owner;
  private final Deque<Work> pending = new ArrayDeque<>();

  private Workqueue(String name, KernelModule owner) {
    this.name = name;
    this.owner = owner;
  }

  /** {@code alloc_workqueue}; {@code owner} is the module whose code the work is (null: built-in). */
  public static Workqueue alloc(String name, KernelModule owner) {
    return new Workqueue(name, owner);
  }

  /** {@code queue_work}: runs {@code fn} later. */
  public synchronized void queueWork(@RunsLater Work fn) {
    pending.add(fn);
  }

  /** Runs the pending work items in order ({@code flush_workqueue}); returns how many ran. */
  public int runPending() {
    int ran = 0;
    while (true) {
      Work w;
      synchronized (this) {
        w = pending.poll();
      }
      if (w == null) {
        return ran;
      }
      Kernel.inContext("work " + name, () -> {
        if (owner == null || owner.checkCode("work on " + name)) {
          w.run();
        }
      });
      ran++;
    }
  }

  /** {@code cancel_work_sync} for everything pending; returns how many were dropped. */
  public synchronized int cancelAll() {
    int n = pending.size();
    pending.clear();
    return n;
  }

  /** The number of pending items. */
  public synchronized int pendingCount() {
    return pending.size();
  }
}
