package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.Driverless;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Kref;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@code struct device}: refcounted, optionally on a {@link Bus} and bound to a {@link BusDriver}, with a devres
 * list ({@code dev->devres_head}).
 *
 * <p>Devres is released LIFO at unbind and on probe failure ({@code device_unbind_cleanup}), and at the final
 * {@link #put()} ({@code device_release}). A driverless device (created with {@link #registerVirtual(String)} or
 * never bound) therefore releases devres only at its final put. This model is the pre-2023 kernel: {@link #del()}
 * ({@code device_del}) does not release devres of driverless devices (the 2023 commit 699fb50d99 added that). So
 * {@code devm_drm_dev_alloc} on a virtual device is a reference loop: the devres action holds the drm device's
 * initial reference and the drm device holds {@code get_device(parent)} (seed 003). The leak check reports it.
 *
 * <pre>{@code
 * Device vdev = Device.registerVirtual("vkms");
 * FakeDrm drm = Devm.drmDevAlloc(vdev, driver, FakeDrm::new);  // loop: never freed
 * vdev.unregister();
 * Kernel.checkLeaks();                                          // LEAK: reference loop ...
 * }</pre>
 */
public final class Device extends KObject {
  /** One devres entry ({@code struct devres_node}); a null release marks a group boundary. */
  static final class Node {
    final String name;
    final Runnable release;
    final Object identity;
    final Object holds;

    Node(String name, Runnable release, Object identity, Object holds) {
      this.name = name;
      this.release = release;
      this.identity = identity;
      this.holds = holds;
    }
  }

  private final Bus bus;
  private final Kref refcount = new Kref();
  private final List<Node> devres = new ArrayList<>();
  private final List<DrmDevice> drmDevices = new CopyOnWriteArrayList<>();
  private volatile BusDriver driver;
  private volatile boolean deleted;
  private volatile String releaseReason;

  Device(String name, Bus bus) {
    super(name);
    this.bus = bus;
    trackForLeaks();
  }

  /**
   * Creates and registers a driverless virtual device ({@code root_device_register}, or a bare
   * {@code platform_device_register} as vkms used to do). The caller holds the initial reference.
   */
  @Driverless
  public static Device registerVirtual(String name) {
    return new Device(name.contains(":") ? name : "virtual:" + name, null);
  }

  /** The bus, or null for a virtual device. */
  public Bus bus() {
    return bus;
  }

  /** {@code get_device}: takes a reference. Using a released device is a use-after-free. */
  public Device get() {
    touch("get_device");
    refcount.get();
    return this;
  }

  /**
   * {@code put_device}: drops a reference. The final put runs {@code device_release}: devres still on the device
   * (driverless devices) is released LIFO, then the device is freed. A put past zero is a {@link
   * ViolationKind#DOUBLE_FREE}.
   */
  public void put() {
    if (refcount.put(() -> "put_device on " + name() + " with no reference left")) {
      releaseDevres("final put of " + name());
      free("released at final put_device of " + name());
    }
  }

  /** The reference count. */
  public int refcount() {
    return refcount.read();
  }

  /** Whether a driver is bound ({@code dev->driver != NULL}); true from the start of probe to the end of unbind. */
  public boolean isBound() {
    return driver != null;
  }

  /** The bound driver, or null. */
  public BusDriver driver() {
    return driver;
  }

  /** Whether {@link #del()} ran. */
  public boolean isDeleted() {
    return deleted;
  }

  /**
   * {@code device_del}: unbinds the driver if one is bound (that releases devres), removes the device from its bus
   * and from sysfs. Devres of a driverless device stays until the final put (pre-2023 model, see class doc).
   */
  public void del() {
    if (deleted) {
      return;
    }
    if (bus != null && isBound()) {
      bus.unbind(this);
    }
    deleted = true;
    if (bus != null) {
      bus.forget(this);
    }
  }

  /** {@code device_unregister} ({@code platform_device_unregister}): {@link #del()} then {@link #put()}. */
  public void unregister() {
    del();
    put();
  }

  /** The names of the devres entries, oldest first (group markers are shown as {@code "<group>"}). */
  public List<String> devresNames() {
    synchronized (devres) {
      List<String> out = new ArrayList<>();
      for (Node n : devres) {
        out.add(n.release == null ? "<group>" : n.name);
      }
      return out;
    }
  }

  /** Why and when the last devres release of this device happened, e.g. {@code "unbind of spi:panel.0"}. */
  public String releaseReason() {
    return releaseReason;
  }

  /** The drm devices whose parent this device is (for the unplug check on hardware access). */
  public List<DrmDevice> drmDevices() {
    return List.copyOf(drmDevices);
  }

  /** Called by {@code drm_dev_init}: the drm device pins this device as its parent. */
  public void attachDrm(DrmDevice drm) {
    drmDevices.add(drm);
  }

  // ------------------------------------------------------------------------------------------- devres internals

  void addNode(Node n) {
    synchronized (devres) {
      devres.add(n);
    }
  }

  Node removeNewest(Object identity) {
    synchronized (devres) {
      for (int i = devres.size() - 1; i >= 0; i--) {
        if (devres.get(i).identity == identity) {
          return devres.remove(i);
        }
      }
      return null;
    }
  }

  boolean hasMarker(Object group) {
    synchronized (devres) {
      return devres.stream().anyMatch(n -> n.release == null && n.identity == group);
    }
  }

  boolean removeMarker(Object group) {
    synchronized (devres) {
      return devres.removeIf(n -> n.release == null && n.identity == group);
    }
  }

  /** Releases the entries added after {@code group}'s marker (all entries when null), newest first. */
  int releaseDevres(String reason, Object group) {
    releaseReason = reason;
    int released = 0;
    while (true) {
      Node n;
      synchronized (devres) {
        if (devres.isEmpty()) {
          break;
        }
        n = devres.get(devres.size() - 1);
        if (n.release == null && group != null && n.identity == group) {
          devres.remove(devres.size() - 1);
          break;
        }
        devres.remove(devres.size() - 1);
      }
      if (n.release != null) {
        Node node = n;
        Kernel.inBoundContext(this, "devres " + node.name + " of " + name(), () -> {
          node.release.run();
          return null;
        });
        released++;
      }
    }
    return released;
  }

  void releaseDevres(String reason) {
    releaseDevres(reason, null);
    // The binding is over: hardware mapped from now on belongs to the next binding and its drm device, so an
    // unplugged drm device of this one (still pinned by an fd) must not judge it.
    drmDevices.clear();
  }

  void setDriver(BusDriver drv) {
    this.driver = drv;
  }

  /**
   * The unplug check for binding-scoped state: when a drm device on this device is unplugged, the current thread
   * holds no section of it and does not run in this device's bound context, reports {@link
   * ViolationKind#UNGUARDED_HW_ACCESS}. Returns true when the access is allowed.
   *
   * @param access e.g. {@code "MMIO write to `regs`"}
   * @param what the lifetime note for the report, e.g. {@code "devm, mapped on spi:panel.0"}
   */
  public boolean checkGuarded(String access, String what) {
    if (Kernel.inBoundContextOf(this)) {
      return true;
    }
    for (DrmDevice drm : drmDevices) {
      if (drm.isUnplugged() && !Kernel.holdsSection(drm)) {
        Kernel.report(
            ViolationKind.UNGUARDED_HW_ACCESS,
            access + " (" + what + ") from " + Kernel.currentContext() + " after unplug of drm "
                + drm.name() + "; no enter section held");
        return false;
      }
    }
    return true;
  }

  /** Whether a drm device on this device was unplugged (for reports). */
  boolean anyDrmUnplugged() {
    for (DrmDevice drm : drmDevices) {
      if (drm.isUnplugged()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the current thread holds a section of a drm device on this device (for reports). */
  boolean sectionHeld() {
    for (DrmDevice drm : drmDevices) {
      if (Kernel.holdsSection(drm)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected String leakReport() {
    if (!deleted) {
      return null; // still registered: its bus or creator owns it
    }
    synchronized (devres) {
      for (Node n : devres) {
        if (n.holds instanceof DrmDevice && ((DrmDevice) n.holds).parent() == this
            && ((DrmDevice) n.holds).isAlive()) {
          DrmDevice drm = (DrmDevice) n.holds;
          return "reference loop: devres `" + n.name + "` of " + name() + " (no driver bound, so devres runs only"
              + " at the final put_device) holds drm_dev_put of drm " + drm.name() + ", and drm " + drm.name()
              + " holds get_device(" + name() + "); neither is ever freed. Use a faux device or a devres group";
        }
      }
    }
    return "device " + name() + " was deleted but still has " + refcount.read() + " reference(s); never released";
  }
}
