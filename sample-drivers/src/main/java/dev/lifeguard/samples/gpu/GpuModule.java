package dev.lifeguard.samples.gpu;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.samples.Dmesg;

/**
 * The gpu module. Exit unregisters the PCI driver, then waits until the device count is zero and calls the release
 * barrier, so whoever dropped the last drm reference has also finished running this module's release callbacks
 * before its text goes (seed 002).
 */
public final class GpuModule {
  private final Bus pci;
  private final Dmesg dmesg = new Dmesg();
  private final GpuDriver driver = new GpuDriver(dmesg);
  private KernelModule module;

  private GpuModule(Bus pci) {
    this.pci = pci;
  }

  /** {@code insmod gpu}: registers the driver on {@code pci}. */
  public static GpuModule insmod(Bus pci) {
    GpuModule m = new GpuModule(pci);
    m.module = KernelModule.load("gpu", m::init, m::exit);
    m.driver.setOwner(m.module);
    return m;
  }

  private int init() {
    pci.registerDriver(driver);
    return 0;
  }

  private void exit() {
    pci.unregisterDriver(driver);
    driver.devices().awaitZero();
    DrmDevice.releaseBarrier();
    dmesg.log("gpu: module exit done");
  }

  /** The module. */
  public KernelModule module() {
    return module;
  }

  /** The driver. */
  public GpuDriver driver() {
    return driver;
  }

  /** The driver's log. */
  public Dmesg dmesg() {
    return dmesg;
  }
}
