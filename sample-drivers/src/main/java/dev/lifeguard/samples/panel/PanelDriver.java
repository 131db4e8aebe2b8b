package dev.lifeguard.samples.panel;

import dev.lifeguard.annotations.UserReachable;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmAtomic;
import dev.lifeguard.runtime.drm.DrmConnector;
import dev.lifeguard.runtime.drm.DrmConnectorFuncs;
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
 * The usbpanel driver: USB bus driver and drm driver in one ops table. probe builds the container with
 * {@code devm_drm_dev_alloc}, maps the registers with devres and creates the KMS pipeline with the drmm helpers;
 * remove unplugs, shuts the pipeline down and powers the controller off before devres unmaps it.
 */
public final class PanelDriver extends SampleDriver<PanelDevice> implements BusDriver {
  static final int REG_CTRL = 0x00;
  static final int REG_BACKLIGHT = 0x04;
  static final int REG_FB_ADDR = 0x08;
  static final int REG_DAMAGE_ROWS = 0x0c;
  static final int REG_FLUSH = 0x10;
  static final int REG_STATUS = 0x14;
  static final int CTRL_ON = 0x1;
  static final int STATUS_CONNECTED = 0x1;
  static final long PIXEL_CLOCK_HZ = 25_175_000L;


  PanelDriver(Dmesg dmesg) {
    super("usbpanel", dmesg);
  }

  // ------------------------------------------------------------------------------------------------ bus driver

  @Override
  public int probe(Device dev) {
    PanelDevice panel = Devm.drmDevAlloc(dev, this, PanelDevice::new);
    if (panel == null) {
      return -Errno.ENOMEM;
    }
    // Counted until the final put, so module exit can wait for releases that userspace delays.
    int ret = countDevice(panel);
    if (ret != 0) {
      return ret;
    }

    panel.regs = Devm.ioremap(dev, "usbpanel-regs", 0x40);
    panel.pclk = Devm.clkGet(dev, "pclk");
    panel.state = Drmm.kzalloc(panel, PanelState::new);
    if (panel.state == null) {
      return -Errno.ENOMEM;
    }

    ret = Drmm.modeConfigInit(panel);
    if (ret != 0) {
      return ret;
    }
    panel.primary = Drmm.universalPlaneAlloc(panel, "usbpanel-primary", new PrimaryPlaneFuncs());
    panel.crtc = Drmm.crtcAllocWithPlanes(panel, "usbpanel-crtc", panel.primary, null, new CrtcFuncs());
    panel.encoder = Drmm.encoderAlloc(panel, "usbpanel-encoder", new DrmEncoderFuncs() {});
    panel.connector = Drmm.kzalloc(panel, () -> new DrmConnector("USB-1"));
    if (panel.connector == null) {
      return -Errno.ENOMEM;
    }
    ret = Drmm.connectorInit(panel, panel.connector, new ConnectorFuncs());
    if (ret != 0) {
      return ret;
    }

    // Bring the controller to a known state: pipeline off, status says a panel is attached.
    panel.regs.writel(REG_CTRL, 0);
    panel.regs.writel(REG_STATUS, STATUS_CONNECTED);
    panel.pclk.setRate(PIXEL_CLOCK_HZ);

    setDrvdata(dev, panel);
    ret = panel.register();
    if (ret != 0) {
      takeDrvdata(dev);
      return ret;
    }
    dmesg.log("usbpanel: probed " + dev.name());
    return 0;
  }

  @Override
  public void remove(Device dev) {
    PanelDevice panel = takeDrvdata(dev);
    // No new section can start after this; it waits for ioctls and commits that are inside one.
    panel.unplug();
    // Shuts down the software state. The guarded disable path cannot reach the hardware any more (the device is
    // unplugged), so the controller is powered off below, still in bound context, before devres unmaps it.
    DrmAtomic.shutdown(panel);
    panel.regs.writel(REG_CTRL, 0);
    panel.pclk.disable();
    dmesg.log("usbpanel: removed " + dev.name() + ", controller powered off");
  }

  // ------------------------------------------------------------------------------------------------ drm driver

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of(
        "DIRTYFB", this::dirtyFb,
        "SET_BACKLIGHT", this::setBacklight,
        "GET_BACKLIGHT", this::getBacklight,
        "ATOMIC_COMMIT", this::atomicCommit);
  }

  /** Flushes {@code arg} damaged rows to the panel over USB; the transfer sleeps inside the section. */
  @UserReachable("ioctl")
  private int dirtyFb(DrmFile file, long arg) {
    PanelDevice panel = PanelDevice.of(file.drm());
    try (DrmSection section = panel.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      panel.regs.writel(REG_DAMAGE_ROWS, (int) arg);
      panel.regs.writel(REG_FLUSH, 1);
      usbTransferDelay();
      panel.regs.writel(REG_FLUSH, 0);
      panel.state.countFlush();
    }
    return 0;
  }

  /** Sets the backlight: remembered in drm-scoped state, written to the controller while it is there. */
  @UserReachable("ioctl")
  private int setBacklight(DrmFile file, long arg) {
    if (arg < 0 || arg > 255) {
      return -Errno.EINVAL;
    }
    PanelDevice panel = PanelDevice.of(file.drm());
    SrcuIdx idx = new SrcuIdx();
    if (!panel.enter(idx)) {
      return -Errno.ENODEV;
    }
    try {
      panel.regs.writel(REG_BACKLIGHT, (int) arg);
      panel.state.setBacklight((int) arg);
    } finally {
      panel.exit(idx);
    }
    return 0;
  }

  /** Returns the backlight level from drm-scoped state; no hardware, so it keeps working after unplug. */
  @UserReachable("ioctl")
  private int getBacklight(DrmFile file, long arg) {
    return PanelDevice.of(file.drm()).state.backlight();
  }

  /** A modeset: a commit while the panel is there, {@code -ENODEV} once it is gone. */
  @UserReachable("ioctl")
  private int atomicCommit(DrmFile file, long arg) {
    PanelDevice panel = PanelDevice.of(file.drm());
    try (DrmSection section = panel.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      DrmAtomic.commit(panel);
    }
    return 0;
  }

  /** Only logs: no hardware here, and the container and drmm state are freed by drmm afterwards. */
  @Override
  public void release(DrmDevice drm) {
    dmesg.log("usbpanel: release hook, " + PanelDevice.of(drm).state.flushes() + " flush(es) in this lifetime");
  }

  private static void usbTransferDelay() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------------------------ KMS funcs

  /** CRTC enable/disable: the explicit enter/exit form. The destroy hook stays NULL (drmm cleans up). */
  private static final class CrtcFuncs implements DrmCrtcFuncs {
    @Override
    public void atomicEnable(DrmCrtc crtc) {
      PanelDevice panel = PanelDevice.of(crtc.drm());
      SrcuIdx idx = new SrcuIdx();
      if (!panel.enter(idx)) {
        return;
      }
      try {
        panel.pclk.enable();
        panel.regs.writel(REG_CTRL, CTRL_ON);
      } finally {
        panel.exit(idx);
      }
    }

    @Override
    public void atomicDisable(DrmCrtc crtc) {
      PanelDevice panel = PanelDevice.of(crtc.drm());
      SrcuIdx idx = new SrcuIdx();
      if (!panel.enter(idx)) {
        return; // unplugged: remove() powers the controller off from bound context
      }
      try {
        panel.regs.writel(REG_CTRL, 0);
        panel.pclk.disable();
      } finally {
        panel.exit(idx);
      }
    }
  }

  /** Primary plane update: the scoped form. */
  private static final class PrimaryPlaneFuncs implements DrmPlaneFuncs {
    @Override
    public void atomicUpdate(DrmPlane plane) {
      PanelDevice panel = PanelDevice.of(plane.drm());
      try (DrmSection section = panel.enterScoped()) {
        if (section.entered()) {
          panel.regs.writel(REG_FB_ADDR, 0x1000);
        }
      }
    }
  }

  /** Hotplug detect reads the controller's status register, so it needs a section too. */
  private static final class ConnectorFuncs implements DrmConnectorFuncs {
    @Override
    public boolean detect(DrmConnector connector) {
      PanelDevice panel = PanelDevice.of(connector.drm());
      try (DrmSection section = panel.enterScoped()) {
        if (!section.entered()) {
          return false;
        }
        return (panel.regs.readl(REG_STATUS) & STATUS_CONNECTED) != 0;
      }
    }
  }
}
