package dev.lifeguard.samples.vkms;

import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.FauxDevice;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.samples.Dmesg;

/**
 * The vkms module: init creates the faux device (which probes), exit destroys it, then waits for the device count
 * and the release barrier (seed 002).
 */
public final class VkmsModule {
  private final Dmesg dmesg = new Dmesg();
  private final VkmsDriver driver = new VkmsDriver(dmesg);
  private KernelModule module;
  private FauxDevice fdev;

  private VkmsModule() {}

  /** {@code insmod vkms}. */
  public static VkmsModule insmod() {
    VkmsModule m = new VkmsModule();
    m.module = KernelModule.load("vkms", m::init, m::exit);
    m.driver.setOwner(m.module);
    return m;
  }

  private int init() {
    fdev = FauxDevice.create("vkms", driver::probe);
    return fdev == null ? -Errno.ENODEV : 0;
  }

  private void exit() {
    destroyDevice();
    driver.devices().awaitZero();
    DrmDevice.releaseBarrier();
    dmesg.log("vkms: module exit done");
  }

  /** {@code faux_device_destroy} of the vkms device (as configfs rmdir does); no-op when already gone. */
  public synchronized void destroyDevice() {
    if (fdev != null) {
      fdev.destroy();
      fdev = null;
    }
  }

  /** The faux device, or null once destroyed. */
  public synchronized Device device() {
    return fdev == null ? null : fdev.device();
  }

  /** The module. */
  public KernelModule module() {
    return module;
  }

  /** The driver. */
  public VkmsDriver driver() {
    return driver;
  }

  /** The driver's log. */
  public Dmesg dmesg() {
    return dmesg;
  }
}
