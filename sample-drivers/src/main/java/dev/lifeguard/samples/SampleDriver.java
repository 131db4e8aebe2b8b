package dev.lifeguard.samples;

import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.module.DeviceCount;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every sample driver shares: its name, the module whose code it is, its dmesg, the device count of seed 002
 * (a module exit waits for it, then for the release barrier), and {@code dev_set_drvdata}.
 *
 * <pre>{@code
 * public final class PanelDriver extends SampleDriver<PanelDevice> implements BusDriver {
 *   public int probe(Device dev) {
 *     PanelDevice panel = Devm.drmDevAlloc(dev, this, PanelDevice::new);
 *     int ret = countDevice(panel);
 *     ...
 *     setDrvdata(dev, panel);
 *   }
 * }
 * }</pre>
 *
 * @param <T> the driver's container
 */
public abstract class SampleDriver<T extends DrmDevice> implements DrmDriver {
  private final String name;
  /** The driver's kernel log. */
  protected final Dmesg dmesg;
  private final DeviceCount devices = new DeviceCount();
  private final Map<Device, T> drvdata = new ConcurrentHashMap<>();
  private volatile KernelModule module;

  protected SampleDriver(String name, Dmesg dmesg) {
    this.name = name;
    this.dmesg = dmesg;
  }

  /** Set by the module's init once the module exists ({@code THIS_MODULE}). */
  public final void setOwner(KernelModule module) {
    this.module = module;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final KernelModule owner() {
    return module;
  }

  /** The live drm devices of this driver (seed 002 device count). */
  public final int deviceCount() {
    return devices.count();
  }

  /** The device count a module exit waits on. */
  public final DeviceCount devices() {
    return devices;
  }

  /** The container bound to {@code dev}, or null when none is ({@code dev_get_drvdata}). */
  public final T drmOf(Device dev) {
    return drvdata.get(dev);
  }

  /** {@code dev_set_drvdata}. */
  protected final void setDrvdata(Device dev, T drm) {
    drvdata.put(dev, drm);
  }

  /** Clears and returns the container bound to {@code dev}. */
  protected final T takeDrvdata(Device dev) {
    return drvdata.remove(dev);
  }

  /**
   * Counts {@code drm} as one of this driver's devices until its final put: up now, down from a drmm action, so
   * the count reaches zero only after the release callbacks started (the release barrier waits for the rest).
   */
  protected final int countDevice(T drm) {
    devices.inc();
    return Drmm.addActionOrReset(drm, name + " device count", d -> devices.dec());
  }
}
