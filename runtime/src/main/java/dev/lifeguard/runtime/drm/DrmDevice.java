package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.ReleaseBarrier;
import dev.lifeguard.annotations.Acquires;
import dev.lifeguard.annotations.Counted;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.annotations.Enter;
import dev.lifeguard.annotations.Exit;
import dev.lifeguard.annotations.Frees;
import dev.lifeguard.annotations.InSection;
import dev.lifeguard.annotations.RunsNow;
import dev.lifeguard.annotations.Token;
import dev.lifeguard.annotations.Unplugs;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Kref;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.SectionOwner;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A {@code struct drm_device}, the base of the driver's container: drivers subclass it. Refcounted ({@code
 * drm_dev_get}/{@code drm_dev_put}); it pins its parent device ({@code get_device}) until its last drmm action.
 *
 * <p><b>Unplug.</b> {@link #enter(SrcuIdx)} is {@code drm_dev_enter}: it fails once {@link #unplug()} set
 * {@code unplugged}. {@link #unplug()} is {@code drm_dev_unplug}: it sets the flag, then really waits for every
 * section in flight on other threads (SRCU {@code synchronize_srcu}), then unregisters. Sections nest and run
 * concurrently. The kernel uses one SRCU domain for all drm devices; this model waits for the sections of this
 * device, which differs only in latency.
 *
 * <p><b>Release</b> at the final put ({@code drm_dev_release}), under the release barrier's read lock: the driver's
 * release hook (context {@code "release hook"}), then the drmm actions LIFO (contexts {@code "drmm action
 * <name>"}; the driver's actions, {@code drm_mode_config_cleanup}, {@code drm_gem_init_release} (GEM core teardown)
 * and {@code drm_dev_init_release} (puts the parent) among them), then the final free of the container, last.
 *
 * <pre>{@code
 * final class Panel extends DrmDevice {
 *   MmioRegion regs;
 *   Panel(Init init) { super(init); }
 * }
 * Panel panel = Devm.drmDevAlloc(dev, driver, Panel::new);
 * panel.register();
 * try (DrmSection s = panel.enterScoped()) { if (s.entered()) panel.regs.writel(0, 1); }
 * }</pre>
 */
@DrmScoped
@Counted
public class DrmDevice extends KObject implements SectionOwner {
  /**
   * What {@code drm_dev_init} needs (parent and driver); only {@link #alloc} and {@code Devm.drmDevAlloc} create
   * one, so every container is allocated through them.
   */
  public static final class Init {
    final Device parent;
    final DrmDriver driver;

    Init(Device parent, DrmDriver driver) {
      this.parent = parent;
      this.driver = driver;
    }
  }

  /** One drmm entry ({@code struct drmres}). */
  static final class Managed {
    final String name;
    final DrmmAction action;
    final Object identity;
    final boolean driverCode;
    final List<KObject> memory;

    Managed(String name, DrmmAction action, Object identity, boolean driverCode) {
      this(name, action, identity, driverCode, null);
    }

    Managed(String name, DrmmAction action, Object identity, boolean driverCode, List<KObject> memory) {
      this.name = name;
      this.action = action;
      this.identity = identity;
      this.driverCode = driverCode;
      this.memory = memory;
    }
  }

  private static final Object RELEASE_SRCU = new Object();
  private static int releasesInFlight;

  private final Device parent;
  private final DrmDriver driver;
  private final Kref refcount = new Kref();
  private final Object srcu = new Object();
  /**
   * Sections in flight on every thread. enter() counts itself in before it reads {@code unplugged}, unplug() sets
   * {@code unplugged} before it reads this: with both sequentially consistent, either enter sees the unplug and
   * backs out, or unplug sees the section and waits (the SRCU argument, without a lock on the fast path).
   */
  private final LongAdder inFlight = new LongAdder();
  private final List<Managed> managed = new ArrayList<>();
  private final Set<KObject> gemObjects = ConcurrentHashMap.newKeySet();
  private final List<KObject> containerMembers = new ArrayList<>();
  private volatile boolean registered;
  private volatile boolean unplugged;
  private volatile boolean released;
  private DrmModeConfig modeConfig;

  /** {@code drm_dev_init}: takes the parent reference and registers the core's drmm actions. */
  protected DrmDevice(Init init) {
    super(init.driver.name());
    this.parent = init.parent;
    this.driver = init.driver;
    parent.get();
    parent.attachDrm(this);
    // Registered first, so they run last: drm_dev_init_release puts the parent, GEM teardown before it.
    addManaged(new Managed("drm_dev_init_release", d -> parent.put(), "drm_dev_init_release", false));
    addManaged(new Managed("drm_gem_init_release", d -> gemTeardown(), "drm_gem_init_release", false));
    trackForLeaks();
  }

  /**
   * {@code drm_dev_alloc}/{@code __drm_dev_alloc}: allocates the container; the caller owns the initial reference
   * and drops it with {@link #put()}. The container is freed by the final put, after every drmm action. Every
   * runtime object constructed inside {@code ctor} is embedded in the container and freed with it.
   */
  public static <T extends DrmDevice> T alloc(Device parent, DrmDriver drv, Function<Init, T> ctor) {
    List<KObject> embedded = new ArrayList<>();
    T drm = Kernel.collectEmbedded(() -> ctor.apply(new Init(parent, drv)), embedded);
    for (KObject o : embedded) {
      if (o != drm) {
        ((DrmDevice) drm).containerMembers.add(o);
      }
    }
    return drm;
  }

  /** The parent bus device ({@code drm->dev}). */
  public Device parent() {
    return parent;
  }

  /** The driver ops table ({@code drm->driver}). */
  public DrmDriver driver() {
    return driver;
  }

  /** {@code drm_dev_get}: the caller must already hold a reference; it says nothing about the hardware. */
  @Acquires
  public DrmDevice get() {
    touch("drm_dev_get");
    refcount.get();
    return this;
  }

  /** {@code drm_dev_put}: the final put runs the release sequence (see class doc). A put past zero is a double free. */
  @Frees
  public void put() {
    if (refcount.put(() -> "drm_dev_put on drm " + name() + " with no reference left"
        + (isAlive() ? "" : " (" + freedBy() + ")") + " from " + Kernel.currentContext())) {
      release();
    }
  }

  /** The reference count. */
  public int refcount() {
    return refcount.read();
  }

  /** {@code drm_dev_register}: makes the device visible to userspace. Returns 0. */
  public int register() {
    touch("drm_dev_register");
    registered = true;
    return 0;
  }

  /** {@code drm_dev_unregister}: hides it from userspace; NOT a barrier, open files and ioctls keep running. */
  public void unregister() {
    touch("drm_dev_unregister");
    registered = false;
  }

  /** Whether registered. */
  public boolean isRegistered() {
    return registered;
  }

  /** {@code drm_dev_is_unplugged}. */
  public boolean isUnplugged() {
    return unplugged;
  }

  /**
   * {@code drm_dev_unplug}: sets unplugged, waits until every section in flight on other threads exits ({@code
   * synchronize_srcu}), then unregisters. Called inside a section of the current thread it would deadlock in the
   * kernel: the runtime reports {@link ViolationKind#UNBALANCED_SECTION} and does not wait for that section.
   */
  @Unplugs
  public void unplug() {
    touch("drm_dev_unplug");
    if (Kernel.sectionDepth() > 0) {
      Kernel.report(ViolationKind.UNBALANCED_SECTION, "drm_dev_unplug of drm " + name()
          + " called inside a drm_dev_enter section: synchronize_srcu would wait for itself; from "
          + Kernel.currentContext());
    }
    int mine = Kernel.sectionsOf(this); // this thread's own (reported above): waiting for them would never end
    boolean interrupted = false;
    unplugged = true;
    synchronized (srcu) {
      while (inFlight.sum() > mine) {
        try {
          srcu.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    unregister();
  }

  /**
   * {@code drm_dev_enter}: opens a section and fills {@code idx}; false once unplugged (then nothing is held).
   * Sections nest and may run on many threads at once.
   */
  @Enter
  public boolean enter(@Token SrcuIdx idx) {
    if (idx.active) {
      Kernel.report(ViolationKind.UNBALANCED_SECTION, "drm_dev_enter of drm " + name() + " reuses token " + idx
          + " of a section still held; that section can never be exited. From " + Kernel.currentContext());
      forceExit(idx);
    }
    inFlight.increment();
    if (unplugged) {
      release1();
      idx.assign(-1);
      return false;
    }
    idx.owner = this;
    idx.thread = Thread.currentThread();
    idx.active = true;
    idx.assign(Kernel.pushSection(this, idx));
    return true;
  }

  /**
   * {@code drm_dev_exit}: ends the section of {@code idx}. A token that no successful enter of this device gave
   * to this thread, or one already exited, is {@link ViolationKind#UNBALANCED_SECTION}.
   */
  @Exit
  public void exit(@Token SrcuIdx idx) {
    if (idx == null || !idx.active || idx.owner != this || idx.thread != Thread.currentThread()
        || !Kernel.popSection(this, idx)) {
      Kernel.report(ViolationKind.UNBALANCED_SECTION, "drm_dev_exit(" + idx + ") on drm " + name()
          + " without a matching successful drm_dev_enter on this thread (wrong token, failed enter, or exited"
          + " twice); from " + Kernel.currentContext());
      return;
    }
    leave(idx);
  }

  @Override
  public void forceExit(Object token) {
    SrcuIdx idx = (SrcuIdx) token;
    if (idx.active) {
      Kernel.popSection(this, idx);
      leave(idx);
    }
  }

  private void leave(SrcuIdx idx) {
    idx.active = false;
    release1();
  }

  /** One section fewer; wakes an unplug that waits for the last one. */
  private void release1() {
    inFlight.decrement();
    if (unplugged) { // unplug() re-checks the sum under the lock
      synchronized (srcu) {
        srcu.notifyAll();
      }
    }
  }

  /** The scoped form of {@link #enter(SrcuIdx)}; see {@link DrmSection}. */
  @Enter
  public DrmSection enterScoped() {
    return new DrmSection(this);
  }

  /** Runs {@code fn} inside a section; returns false without running it when unplugged. */
  public boolean guarded(@RunsNow @InSection Runnable fn) {
    SrcuIdx idx = new SrcuIdx();
    if (!enter(idx)) {
      return false;
    }
    try {
      fn.run();
    } finally {
      exit(idx);
    }
    return true;
  }

  /** Runs an atomic commit that enables every crtc and updates every plane; see {@link DrmAtomic#commit}. */
  public void atomicCommit() {
    DrmAtomic.commit(this);
  }

  /** The mode config ({@code drm->mode_config}); created on first use. */
  public synchronized DrmModeConfig modeConfig() {
    if (modeConfig == null) {
      modeConfig = new DrmModeConfig(this);
    }
    return modeConfig;
  }

  // ------------------------------------------------------------------------------------------------- GEM

  /** Called by the GEM core when an object of this device is created. */
  public void gemObjectCreated(KObject obj) {
    touch("drm_gem_object_init");
    gemObjects.add(obj);
  }

  /** Called by the GEM core when an object of this device is freed. */
  public void gemObjectFreed(KObject obj) {
    gemObjects.remove(obj);
  }

  /** The number of live GEM objects of this device. */
  public int liveGemObjects() {
    return gemObjects.size();
  }

  private void gemTeardown() {
    if (!gemObjects.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (KObject o : gemObjects) {
        names.add(o.name());
      }
      Kernel.report(ViolationKind.GEM_TEARDOWN_LIVE, "drm_gem_init_release (GEM core teardown) of drm " + name()
          + " with " + names.size() + " live GEM object(s) " + names
          + ": drm_mm_takedown WARNs, their free would use the freed offset manager");
    }
  }

  // ------------------------------------------------------------------------------------------------- drmm

  void addManaged(Managed m) {
    synchronized (managed) {
      managed.add(m);
    }
  }

  Managed removeOldest(Object identity) {
    synchronized (managed) {
      for (int i = 0; i < managed.size(); i++) {
        if (managed.get(i).identity == identity) {
          return managed.remove(i);
        }
      }
      return null;
    }
  }

  /** The names of the drmm entries, oldest first. */
  public List<String> managedNames() {
    synchronized (managed) {
      List<String> out = new ArrayList<>();
      for (Managed m : managed) {
        out.add(m.name);
      }
      return out;
    }
  }

  boolean isReleased() {
    return released;
  }

  void runManaged(Managed m) {
    Kernel.inContext("drmm action " + m.name, () -> {
      KernelModule owner = driver.owner();
      if (m.driverCode && owner != null) {
        owner.checkCode("drmm action " + m.name + " of drm " + name());
      }
      m.action.release(this);
    });
  }

  private void release() {
    released = true;
    synchronized (RELEASE_SRCU) {
      releasesInFlight++;
    }
    try {
      Kernel.inContext("release hook", () -> {
        KernelModule owner = driver.owner();
        if (owner != null) {
          owner.checkCode("release hook of drm " + name());
        }
        driver.release(this);
      });
      while (true) {
        Managed m;
        synchronized (managed) {
          if (managed.isEmpty()) {
            break;
          }
          m = managed.remove(managed.size() - 1);
        }
        runManaged(m);
      }
    } finally {
      synchronized (RELEASE_SRCU) {
        releasesInFlight--;
        RELEASE_SRCU.notifyAll();
      }
    }
    // drmm_add_final_kfree: the container goes last.
    String by = "container of drm " + name() + " freed by the final kfree at the last drm_dev_put";
    for (KObject o : containerMembers) {
      if (o.isAlive()) {
        o.free(by);
      }
    }
    free(by);
  }

  /**
   * {@code drm_dev_release_barrier} (seed 002): waits until every drm device release that has started (release
   * hook and drmm actions, on any thread) has finished. With a device count it makes module exit safe.
   */
  @ReleaseBarrier
  public static void releaseBarrier() {
    boolean interrupted = false;
    synchronized (RELEASE_SRCU) {
      while (releasesInFlight > 0) {
        try {
          RELEASE_SRCU.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected String leakReport() {
    if (parent.isAlive() && !parent.isDeleted() && (parent.isBound() || parent.devresNames().contains(
        "devm_drm_dev_init_release"))) {
      return null; // the binding (or the registered device's devres) still owns the initial reference
    }
    return "drm device " + name() + " still has " + refcount.read() + " reference(s) at the end, after its parent "
        + parent.name() + " was " + (parent.isDeleted() ? "deleted" : "unbound")
        + " (open files, dma-bufs, a devres loop or a missing drm_dev_put)";
  }
}
