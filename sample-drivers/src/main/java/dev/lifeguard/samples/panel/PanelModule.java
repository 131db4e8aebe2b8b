package dev.lifeguard.samples.panel;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.samples.Dmesg;

/**
 * The usbpanel module: init registers the USB driver; exit unregisters it (unbinding every panel), then waits
 * until every drm device of the driver was released and no release callback still runs its code (seed 002).
 */
public final class PanelModule {
  private final Bus usb;
  private final Dmesg dmesg = new Dmesg();
  private final PanelDriver driver = new PanelDriver(dmesg);
  private KernelModule module;

  private PanelModule(Bus usb) {
    this.usb = usb;
  }

  /** {@code insmod usbpanel}: registers the driver on {@code usb}, which binds every matching device. */
  public static PanelModule insmod(Bus usb) {
    PanelModule m = new PanelModule(usb);
    m.module = KernelModule.load("usbpanel", m::init, m::exit);
    m.driver.setOwner(m.module);
    return m;
  }

  private int init() {
    usb.registerDriver(driver);
    return 0;
  }

  private void exit() {
    usb.unregisterDriver(driver);
    driver.devices().awaitZero();
    DrmDevice.releaseBarrier();
    dmesg.log("usbpanel: module exit done");
  }

  /** The module. */
  public KernelModule module() {
    return module;
  }

  /** The driver. */
  public PanelDriver driver() {
    return driver;
  }

  /** The driver's log. */
  public Dmesg dmesg() {
    return dmesg;
  }
}
