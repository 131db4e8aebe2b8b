package dev.lifeguard.demo;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.bus.MmioRegion;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.DrmEncoder;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.SrcuIdx;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.Map;

/**
 * A panel driver with the classic hot-unplug mistakes, one per rule it shows (R1 to R5). It is never built into the gate: the
 * {@code demo} profile compiles it with every Lifeguard check at ERROR to show the gate rejecting it.
 */
public final class BuggyPanel implements BusDriver, DrmDriver {
  static final class PanelDrm extends DrmDevice {
    @BindingScoped MmioRegion regs;

    PanelDrm(Init init) {
      super(init);
    }
  }

  /** Holds the encoder: must live as long as the drm device. */
  static final class PanelKms {
    final DrmEncoder encoder = new DrmEncoder("panel-encoder");
  }

  private final KernelModule module = KernelModule.load("buggy-panel");
  private PanelDrm drm;

  @Override
  public String name() {
    return "buggy-panel";
  }

  @Override
  public KernelModule owner() {
    return module;
  }

  @Override
  public int probe(Device dev) {
    drm = Devm.drmDevAlloc(dev, this, PanelDrm::new);
    drm.regs = Devm.ioremap(dev, "regs", 0x100);
    PanelKms kms = Devm.kzalloc(dev, PanelKms::new); // R1: the encoder dies at unbind
    Drmm.encoderInit(drm, kms.encoder, null);
    return drm.register();
  }

  @Override
  public void remove(Device dev) {
    drm.unplug();
    drm.put(); // R5: devres already owns this reference
  }

  /** R4: the release hook runs at the final drm put, after unbind; the backlight registers are gone by then. */
  @Override
  public void release(DrmDevice d) {
    ((PanelDrm) d).regs.writel(0x40, 0);
  }

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of("SET_BACKLIGHT", new SetBacklight(), "FLUSH", new Flush());
  }

  /** R2: touches the registers with no section. */
  static final class SetBacklight implements DrmIoctl {
    @Override
    public int handle(DrmFile file, long level) {
      ((PanelDrm) file.drm()).regs.writel(0x40, (int) level);
      return 0;
    }
  }

  /** R3: the early return leaks the section, so unplug would wait forever. */
  static final class Flush implements DrmIoctl {
    @Override
    public int handle(DrmFile file, long arg) {
      PanelDrm panel = (PanelDrm) file.drm();
      SrcuIdx idx = new SrcuIdx();
      if (!panel.enter(idx)) {
        return -Errno.ENODEV;
      }
      if (arg == 0) {
        return 0;
      }
      panel.regs.writel(0x44, (int) arg);
      panel.exit(idx);
      return 0;
    }
  }
}
