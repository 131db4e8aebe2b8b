package dev.lifeguard.benchmarks.runtime;

import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.module.KernelModule;

/** A minimal drm device and driver for the runtime benchmarks. */
final class BenchDevices {
  private BenchDevices() {}

  /** A drm device with nothing but the core. */
  static final class BenchDrm extends DrmDevice {
    BenchDrm(Init init) {
      super(init);
    }
  }

  private static final DrmDriver DRIVER = new DrmDriver() {
    @Override
    public String name() {
      return "benchdrm";
    }

    @Override
    public KernelModule owner() {
      return null;
    }
  };

  /** A fresh drm device on a fresh virtual bus device. */
  static BenchDrm newDrm(String name) {
    return DrmDevice.alloc(Device.registerVirtual(name), DRIVER, BenchDrm::new);
  }
}
