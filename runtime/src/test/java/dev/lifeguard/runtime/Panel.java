package dev.lifeguard.runtime;

import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.bus.MmioRegion;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.DrmSection;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.SrcuIdx;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small SPI panel driver used by the tests; knobs switch its known bugs on. */
class Panel implements BusDriver, DrmDriver {
  /** The container. */
  static final class PanelDrm extends DrmDevice {
    MmioRegion regs;

    PanelDrm(Init init) {
      super(init);
    }
  }

  final KernelModule module;
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile PanelDrm drm;
  /** SET_PLANE uses drm_dev_enter/exit. */
  boolean guarded = true;
  /** remove() calls drm_dev_unplug (else only drm_dev_unregister). */
  boolean unplugInRemove = true;
  /** SET_PLANE forgets drm_dev_exit. */
  boolean leakSection;

  Panel(KernelModule module) {
    this.module = module;
  }

  @Override
  public String name() {
    return "panel";
  }

  @Override
  public KernelModule owner() {
    return module;
  }

  @Override
  public int probe(Device dev) {
    events.add("probe");
    PanelDrm d = Devm.drmDevAlloc(dev, this, PanelDrm::new);
    d.regs = Devm.ioremap(dev, "regs", 0x100);
    Drmm.modeConfigInit(d);
    d.register();
    drm = d;
    return 0;
  }

  @Override
  public void remove(Device dev) {
    events.add("remove");
    if (unplugInRemove) {
      drm.unplug();
    } else {
      drm.unregister();
    }
  }

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of("SET_PLANE", this::setPlane, "GET_STATUS", this::getStatus);
  }

  private int setPlane(dev.lifeguard.runtime.drm.DrmFile file, long arg) {
    PanelDrm d = (PanelDrm) file.drm();
    if (!guarded) {
      d.regs.writel(0x10, (int) arg);
      return 0;
    }
    SrcuIdx idx = new SrcuIdx();
    if (!d.enter(idx)) {
      return -Errno.ENODEV;
    }
    d.regs.writel(0x10, (int) arg);
    if (!leakSection) {
      d.exit(idx);
    }
    return 0;
  }

  private int getStatus(dev.lifeguard.runtime.drm.DrmFile file, long arg) {
    PanelDrm d = (PanelDrm) file.drm();
    try (DrmSection s = d.enterScoped()) {
      if (!s.entered()) {
        return -Errno.ENODEV;
      }
      return d.regs.readl(0x10);
    }
  }

  @Override
  public void release(DrmDevice d) {
    events.add("release hook");
  }
}
