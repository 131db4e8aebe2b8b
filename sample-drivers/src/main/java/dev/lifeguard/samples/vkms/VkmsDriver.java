package dev.lifeguard.samples.vkms;

import dev.lifeguard.annotations.UserReachable;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmAtomic;
import dev.lifeguard.runtime.drm.DrmConnector;
import dev.lifeguard.runtime.drm.DrmCrtc;
import dev.lifeguard.runtime.drm.DrmCrtcFuncs;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmEncoderFuncs;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.DrmPlane;
import dev.lifeguard.runtime.drm.DrmPlaneFuncs;
import dev.lifeguard.runtime.drm.DrmSection;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.SrcuIdx;
import dev.lifeguard.samples.Dmesg;
import dev.lifeguard.samples.SampleDriver;
import java.util.Map;

/**
 * The vkms drm driver and the probe of its faux device. The faux stub driver has no remove callback, so probe
 * registers a devres action that unplugs and shuts the pipeline down at unbind, before devres frees the scratch
 * buffer and drops the drm device.
 */
public final class VkmsDriver extends SampleDriver<Vkms> {

  VkmsDriver(Dmesg dmesg) {
    super("vkms", dmesg);
  }

  /** The faux device's probe ({@code vkms_probe}); runs in bound context. */
  int probe(Device dev) {
    Vkms vkms = Devm.drmDevAlloc(dev, this, Vkms::new);
    if (vkms == null) {
      return -Errno.ENOMEM;
    }
    int ret = countDevice(vkms);
    if (ret != 0) {
      return ret;
    }
    vkms.output = Drmm.kzalloc(vkms, VkmsOutput::new);
    if (vkms.output == null) {
      return -Errno.ENOMEM;
    }
    // Registered after the output, so it runs before the output is freed: no vblank fires into freed memory.
    VkmsOutput output = vkms.output;
    ret = Drmm.addActionOrReset(vkms, "vkms vblank timer", d -> output.cancelTimer());
    if (ret != 0) {
      return ret;
    }

    ret = Drmm.modeConfigInit(vkms);
    if (ret != 0) {
      return ret;
    }
    vkms.primary = Drmm.universalPlaneAlloc(vkms, "vkms-primary", new PrimaryPlaneFuncs());
    vkms.crtc = Drmm.crtcAllocWithPlanes(vkms, "vkms-crtc", vkms.primary, null, new CrtcFuncs(this));
    vkms.encoder = Drmm.encoderAlloc(vkms, "vkms-virtual", new DrmEncoderFuncs() {});
    vkms.connector = Drmm.kzalloc(vkms, () -> new DrmConnector("Virtual-1"));
    if (vkms.connector == null) {
      return -Errno.ENOMEM;
    }
    ret = Drmm.connectorInit(vkms, vkms.connector, new VirtualConnectorFuncs());
    if (ret != 0) {
      return ret;
    }

    vkms.scratch = Devm.kzalloc(dev, ComposerScratch::new);
    if (vkms.scratch == null) {
      return -Errno.ENOMEM;
    }
    // Runs first at unbind (devres is LIFO): unplug while the scratch buffer is still there, then shut down.
    ret = Devm.addActionOrReset(dev, "vkms unplug", () -> {
      takeDrvdata(dev);
      vkms.unplug();
      DrmAtomic.shutdown(vkms);
      dmesg.log("vkms: unplugged " + dev.name());
    });
    if (ret != 0) {
      return ret;
    }

    setDrvdata(dev, vkms);
    ret = vkms.register();
    if (ret != 0) {
      return ret;
    }
    dmesg.log("vkms: probed " + dev.name());
    return 0;
  }

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of(
        "ATOMIC_COMMIT", this::atomicCommit,
        "WAIT_VBLANK", this::waitVblank,
        "GET_CRC", this::getCrc);
  }

  /** A modeset: enables the crtc (arming the vblank timer) and composes the first frame. */
  @UserReachable("ioctl")
  private int atomicCommit(DrmFile file, long arg) {
    Vkms vkms = Vkms.of(file.drm());
    try (DrmSection section = vkms.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      DrmAtomic.commit(vkms);
    }
    return 0;
  }

  /** The vblank count; {@code -ENODEV} once unplugged, since no vblank will come any more. */
  @UserReachable("ioctl")
  private int waitVblank(DrmFile file, long arg) {
    Vkms vkms = Vkms.of(file.drm());
    SrcuIdx idx = new SrcuIdx();
    if (!vkms.enter(idx)) {
      return -Errno.ENODEV;
    }
    try {
      return (int) vkms.output.vblanks();
    } finally {
      vkms.exit(idx);
    }
  }

  /** The CRC of the last composed frame, read from the binding's scratch buffer. */
  @UserReachable("ioctl")
  private int getCrc(DrmFile file, long arg) {
    Vkms vkms = Vkms.of(file.drm());
    try (DrmSection section = vkms.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      return vkms.scratch.crc();
    }
  }

  /** Only logs; the timer is cancelled by its drmm action, which runs after this hook. */
  @Override
  public void release(DrmDevice drm) {
    dmesg.log("vkms: release hook after " + Vkms.of(drm).output.vblanks() + " vblank(s)");
  }

  /**
   * The vblank timer callback ({@code vkms_vblank_simulate}). It may fire after unbind while the drm device
   * lives: the vblank is counted in drm-scoped state; composing needs the binding's scratch buffer and so a
   * section; once unplugged the timer is not re-armed.
   */
  @UserReachable("vblank timer: fires until cancelled at the final put, also after unbind")
  static void vblankTimer(VkmsDriver driver, Vkms vkms) {
    VkmsOutput output = vkms.output;
    output.handleVblank();
    SrcuIdx idx = new SrcuIdx();
    if (!vkms.enter(idx)) {
      driver.dmesg.log("vkms: vblank " + output.vblanks() + " after unplug, timer stops");
      return;
    }
    try {
      vkms.scratch.compose(output.vblanks());
    } finally {
      vkms.exit(idx);
    }
    if (output.crtcEnabled()) {
      output.timer(driver).modTimer(() -> vblankTimer(driver, vkms));
    }
  }

  /** CRTC: enabling starts the vblank timer; disabling lets it run out. No hardware, no destroy hook. */
  private static final class CrtcFuncs implements DrmCrtcFuncs {
    private final VkmsDriver driver;

    CrtcFuncs(VkmsDriver driver) {
      this.driver = driver;
    }

    @Override
    public void atomicEnable(DrmCrtc crtc) {
      Vkms vkms = Vkms.of(crtc.drm());
      vkms.output.setCrtcEnabled(true);
      vkms.output.timer(driver).modTimer(() -> vblankTimer(driver, vkms));
    }

    @Override
    public void atomicDisable(DrmCrtc crtc) {
      Vkms.of(crtc.drm()).output.setCrtcEnabled(false);
    }
  }

  /** Primary plane: composes the new frame into the binding's scratch buffer. */
  private static final class PrimaryPlaneFuncs implements DrmPlaneFuncs {
    @Override
    public void atomicUpdate(DrmPlane plane) {
      Vkms vkms = Vkms.of(plane.drm());
      try (DrmSection section = vkms.enterScoped()) {
        if (section.entered()) {
          vkms.scratch.compose(vkms.output.vblanks());
        }
      }
    }
  }

  /** The virtual connector is always connected. */
  private static final class VirtualConnectorFuncs implements dev.lifeguard.runtime.drm.DrmConnectorFuncs {
    @Override
    public boolean detect(DrmConnector connector) {
      return true;
    }
  }
}
