package dev.lifeguard.samples.vgem;

import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.DevresGroup;
import dev.lifeguard.runtime.bus.Devres;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.samples.Dmesg;

/**
 * The vgem module. No driver is ever bound to its virtual device, so devres would run only at the device's final
 * put, which the drm device's parent reference prevents (a loop). The drm device therefore lives in a devres
 * group that {@link #destroyDevice()} releases explicitly.
 */
public final class VgemModule {
  private final Dmesg dmesg = new Dmesg();
  private final VgemDriver driver = new VgemDriver(dmesg);
  private KernelModule module;
  private Device vdev;
  private DevresGroup group;

  private VgemModule() {}

  /** {@code insmod vgem}: registers the virtual device and creates the drm device. */
  public static VgemModule insmod() {
    VgemModule m = new VgemModule();
    m.module = KernelModule.load("vgem", m::init, m::exit);
    m.driver.setOwner(m.module);
    return m;
  }

  private int init() {
    vdev = Device.registerVirtual("vgem");
    int ret = createDevice();
    if (ret != 0) {
      vdev.unregister();
    }
    return ret;
  }

  private void exit() {
    destroyDevice();
    vdev.unregister();
    driver.devices().awaitZero();
    DrmDevice.releaseBarrier();
    dmesg.log("vgem: module exit done");
  }

  /** Creates the drm device in a fresh devres group; returns 0 or a negative errno. */
  public synchronized int createDevice() {
    if (group != null) {
      return 0;
    }
    group = Devres.openGroup(vdev);
    int ret = driver.probe(vdev);
    if (ret != 0) {
      Devres.releaseGroup(vdev, group);
      group = null;
    }
    return ret;
  }

  /** Unplugs the drm device, then releases its devres group, which drops the devm drm reference. */
  public synchronized void destroyDevice() {
    if (group == null) {
      return;
    }
    driver.remove(vdev);
    Devres.releaseGroup(vdev, group);
    group = null;
  }

  /** The virtual parent device. */
  public Device device() {
    return vdev;
  }

  /** The module. */
  public KernelModule module() {
    return module;
  }

  /** The driver. */
  public VgemDriver driver() {
    return driver;
  }

  /** The driver's log. */
  public Dmesg dmesg() {
    return dmesg;
  }
}
