package dev.lifeguard.runtime.bus;

import dev.lifeguard.runtime.module.KernelModule;

/**
 * A faux device ({@code faux_device_create}/{@code faux_device_destroy}, 2025): a virtual device with a bound stub
 * driver, so destroying it unbinds, and unbind releases devres. This is how vkms and vgem break the devres loop of
 * driverless devices.
 *
 * <pre>{@code
 * FauxDevice fdev = FauxDevice.create("vkms", dev -> 0);
 * Vkms vkms = Devm.drmDevAlloc(fdev.device(), driver, Vkms::new);
 * fdev.destroy();   // unbind: devres puts the drm device, no loop
 * }</pre>
 */
public final class FauxDevice {
  private static final Bus FAUX = Bus.create("faux");

  private final Device device;

  private FauxDevice(Device device) {
    this.device = device;
  }

  /**
   * {@code faux_device_create}: registers {@code "faux:<name>"} and binds the faux stub driver, which runs
   * {@code probe} (may be null). Returns null when probe fails, like the kernel.
   */
  public static FauxDevice create(String name, FauxProbe probe) {
    Device dev = FAUX.addDevice(name);
    BusDriver stub = new BusDriver() {
      @Override
      public String name() {
        return "faux_driver";
      }

      @Override
      public KernelModule owner() {
        return null;
      }

      @Override
      public int probe(Device d) {
        return probe == null ? 0 : probe.probe(d);
      }

      @Override
      public void remove(Device d) {}
    };
    if (FAUX.bind(dev, stub) != 0) {
      FAUX.removeDevice(dev);
      return null;
    }
    return new FauxDevice(dev);
  }

  /** The device, to pass to devm and drm calls. */
  public Device device() {
    return device;
  }

  /** {@code faux_device_destroy}: unbinds (remove, devres LIFO), deletes and puts the device. */
  public void destroy() {
    FAUX.removeDevice(device);
  }
}
