package dev.lifeguard.runtime.bus;

import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@code struct bus_type} with its devices and drivers: driver binding ({@code really_probe}), unbind ({@code
 * device_release_driver}) and hot removal of hardware.
 *
 * <pre>{@code
 * Bus spi = Bus.create("spi");
 * Device panel = spi.addDevice("panel.0");    // "spi:panel.0"
 * spi.registerDriver(new PanelDriver());      // binds: runs probe in context "probe spi:panel.0"
 * spi.removeDevice(panel);                    // hot unplug: remove, devres LIFO, device_del, put
 * }</pre>
 */
public final class Bus {
  private final String name;
  private final List<Device> devices = new CopyOnWriteArrayList<>();
  private final List<BusDriver> drivers = new CopyOnWriteArrayList<>();

  private Bus(String name) {
    this.name = name;
  }

  /** Creates a bus ({@code bus_register}). */
  public static Bus create(String name) {
    return new Bus(name);
  }

  /** The bus name, e.g. {@code "spi"}. */
  public String name() {
    return name;
  }

  /**
   * {@code device_add}: creates and registers a device named {@code "<bus>:<name>"}; the bus holds its initial
   * reference. It has no driver until one binds. Binds to a matching registered driver, like the kernel does.
   */
  public Device addDevice(String name) {
    Device dev = new Device(name.startsWith(this.name + ":") ? name : this.name + ":" + name, this);
    devices.add(dev);
    for (BusDriver drv : drivers) {
      if (drv.match(dev)) {
        bind(dev, drv);
        break;
      }
    }
    return dev;
  }

  /** The registered devices. */
  public List<Device> devices() {
    return List.copyOf(devices);
  }

  /** {@code driver_register}: registers {@code drv} and binds it to every unbound matching device. */
  public void registerDriver(BusDriver drv) {
    drivers.add(drv);
    for (Device dev : devices) {
      if (!dev.isBound() && drv.match(dev)) {
        bind(dev, drv);
      }
    }
  }

  /** {@code driver_unregister}: unbinds {@code drv} from every device it is bound to. */
  public void unregisterDriver(BusDriver drv) {
    drivers.remove(drv);
    for (Device dev : devices) {
      if (dev.driver() == drv) {
        unbind(dev);
      }
    }
  }

  /**
   * {@code really_probe}: binds {@code drv} to {@code dev} and runs probe in context {@code "probe <dev>"}. A
   * nonzero return or an exception is a probe failure: devres is released LIFO and the device stays unbound.
   * Returns probe's result ({@code -EBUSY} when already bound); other exceptions propagate after the cleanup.
   */
  public int bind(Device dev, BusDriver drv) {
    if (dev.isBound()) {
      return -Errno.EBUSY;
    }
    KernelModule owner = drv.owner();
    if (owner != null) {
      owner.checkCode("probe of " + dev.name() + " by " + drv.name());
    }
    dev.setDriver(drv);
    int depth = Kernel.sectionDepth();
    int ret;
    RuntimeException failure = null;
    try {
      ret = Kernel.inBoundContext(dev, "probe " + dev.name(), () -> {
        int r = drv.probe(dev);
        checkSections(depth, "probe of " + dev.name());
        return r;
      });
    } catch (ErrnoException e) {
      ret = -e.errno();
    } catch (RuntimeException e) {
      ret = -Errno.EINVAL;
      failure = e;
    }
    if (ret != 0) {
      dev.releaseDevres("probe failure of " + dev.name());
      dev.setDriver(null);
      if (failure != null) {
        throw failure;
      }
    }
    return ret;
  }

  /**
   * {@code device_release_driver}: runs remove in context {@code "remove <dev>"}, then releases devres LIFO
   * ({@code devres_release_all}), then clears the binding. No-op when unbound.
   */
  public void unbind(Device dev) {
    BusDriver drv = dev.driver();
    if (drv == null) {
      return;
    }
    KernelModule owner = drv.owner();
    if (owner != null) {
      owner.checkCode("remove of " + dev.name() + " by " + drv.name());
    }
    int depth = Kernel.sectionDepth();
    Kernel.inBoundContext(dev, "remove " + dev.name(), () -> {
      drv.remove(dev);
      checkSections(depth, "remove of " + dev.name());
      return null;
    });
    dev.releaseDevres("unbind of " + dev.name());
    dev.setDriver(null);
  }

  /**
   * Hot unplug of the hardware ({@code device_unregister} from the bus): unbind (remove, devres), {@code
   * device_del}, then the bus drops its reference.
   */
  public void removeDevice(Device dev) {
    if (dev.isDeleted()) {
      return;
    }
    dev.del();
    dev.put();
  }

  void forget(Device dev) {
    devices.remove(dev);
  }

  /** A bound-context callback must not return with a section still held: report and repair. */
  static void checkSections(int depth, String where) {
    if (Kernel.sectionDepth() > depth) {
      Kernel.report(
          ViolationKind.UNBALANCED_SECTION,
          where + " returned with " + (Kernel.sectionDepth() - depth)
              + " drm_dev_enter section(s) still held; drm_dev_unplug would wait forever");
      Kernel.repairSections(depth);
    }
  }

  @Override
  public String toString() {
    return "Bus(" + name + ")";
  }
}
