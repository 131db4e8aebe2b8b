package dev.lifeguard.samples.gpu;

import dev.lifeguard.annotations.UserReachable;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.DrmSection;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.SrcuIdx;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.gem.GemObjectFuncs;
import dev.lifeguard.samples.Dmesg;
import dev.lifeguard.samples.SampleDriver;
import java.util.Map;

/**
 * The gpu driver: PCI bus driver and drm driver. Ioctls touch the BAR only inside a section; the interrupt
 * handler runs in bound context and touches it directly; GEM free and the release hook touch only drm-scoped
 * state.
 */
public final class GpuDriver extends SampleDriver<GpuDevice> implements BusDriver {
  static final int REG_CHIP_ID = 0x00;
  static final int REG_IRQ_ENABLE = 0x04;
  static final int REG_IRQ_STATUS = 0x08;
  static final int REG_IRQ_ACK = 0x0c;
  static final int REG_GTT_MAP = 0x10;
  static final int REG_GTT_UNMAP = 0x14;
  static final int REG_RING_TAIL = 0x20;
  static final int REG_DOORBELL = 0x24;
  static final int REG_FENCE_DONE = 0x28;
  static final int CHIP_ID = 0x1a2b;
  static final int IRQ_JOB_DONE = 0x1;
  static final int VRAM_SIZE = 1 << 20;
  static final int GPU_IRQ = 17;

  private final GemObjectFuncs boFuncs = new BoFuncs();

  GpuDriver(Dmesg dmesg) {
    super("gpu", dmesg);
  }

  // ------------------------------------------------------------------------------------------------ bus driver

  @Override
  public int probe(Device dev) {
    GpuDevice gpu = Devm.drmDevAlloc(dev, this, GpuDevice::new);
    if (gpu == null) {
      return -Errno.ENOMEM;
    }
    int ret = countDevice(gpu);
    if (ret != 0) {
      return ret;
    }
    gpu.fences = Drmm.kzalloc(gpu, GpuFences::new);
    gpu.vram = Drmm.kzalloc(gpu, () -> new VramPool(VRAM_SIZE));
    if (gpu.fences == null || gpu.vram == null) {
      return -Errno.ENOMEM;
    }

    gpu.bar0 = Devm.ioremap(dev, "bar0", 0x100);
    gpu.bar0.writel(REG_CHIP_ID, CHIP_ID); // the simulated board straps its id
    if (gpu.bar0.readl(REG_CHIP_ID) != CHIP_ID) {
      return -Errno.ENODEV;
    }
    // The handler runs in bound context until devres frees the IRQ, so it may use the BAR directly.
    gpu.irq = Devm.requestIrq(dev, GPU_IRQ, irq -> {
      int status = gpu.bar0.readl(REG_IRQ_STATUS);
      if ((status & IRQ_JOB_DONE) == 0) {
        return;
      }
      gpu.fences.signal(gpu.bar0.readl(REG_FENCE_DONE));
      gpu.bar0.writel(REG_IRQ_ACK, status);
      gpu.bar0.writel(REG_IRQ_STATUS, 0);
    });
    gpu.bar0.writel(REG_IRQ_ENABLE, IRQ_JOB_DONE);

    setDrvdata(dev, gpu);
    ret = gpu.register();
    if (ret != 0) {
      takeDrvdata(dev);
      return ret;
    }
    dmesg.log("gpu: probed " + dev.name() + ", chip 0x" + Integer.toHexString(CHIP_ID));
    return 0;
  }

  @Override
  public void remove(Device dev) {
    GpuDevice gpu = takeDrvdata(dev);
    gpu.unplug();
    // Jobs that can no longer run must not leave waiters hanging: signal their fences now.
    int pending = gpu.fences.forceSignalAll();
    gpu.bar0.writel(REG_IRQ_ENABLE, 0);
    dmesg.log("gpu: removed " + dev.name() + ", " + pending + " fence(s) force-signalled");
  }

  // ------------------------------------------------------------------------------------------------ drm driver

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of(
        "GEM_CREATE", this::gemCreate,
        "SUBMIT", this::submit,
        "WAIT", this::waitFence,
        "GET_PARAM", this::getParam);
  }

  @Override
  public GemObjectFuncs gemFuncs() {
    return boFuncs;
  }

  /** Creates a VRAM buffer of {@code arg} bytes and maps it into the GTT; returns its handle. */
  @UserReachable("ioctl")
  private int gemCreate(DrmFile file, long arg) {
    if (arg <= 0 || arg > VRAM_SIZE) {
      return -Errno.EINVAL;
    }
    GpuDevice gpu = GpuDevice.of(file.drm());
    SrcuIdx idx = new SrcuIdx();
    if (!gpu.enter(idx)) {
      return -Errno.ENODEV;
    }
    try {
      int offset = gpu.vram.reserve((int) arg);
      if (offset < 0) {
        return -Errno.ENOMEM;
      }
      GemObject bo = GemObject.create(gpu, "gpu-bo@" + offset, (int) arg);
      gpu.vram.place(bo, offset);
      gpu.bar0.writel(REG_GTT_MAP, offset);
      int handle = file.handleCreate(bo);
      bo.put(); // the handle holds it now
      return handle;
    } finally {
      gpu.exit(idx);
    }
  }

  /** Submits a job on the buffer of handle {@code arg}; returns its fence sequence number. */
  @UserReachable("ioctl")
  private int submit(DrmFile file, long arg) {
    GemObject bo = file.lookup((int) arg);
    if (bo == null) {
      return -Errno.ENOENT;
    }
    GpuDevice gpu = GpuDevice.of(file.drm());
    try (DrmSection section = gpu.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      int seqno = gpu.fences.nextSeqno();
      gpu.bar0.writel(REG_RING_TAIL, seqno);
      gpu.bar0.writel(REG_DOORBELL, Math.max(0, gpu.vram.offsetOf(bo)));
      return seqno;
    } finally {
      bo.put();
    }
  }

  /** Whether fence {@code arg} signalled: 0, or {@code -EBUSY}. Software only, so it also answers after unplug. */
  @UserReachable("ioctl")
  private int waitFence(DrmFile file, long arg) {
    return GpuDevice.of(file.drm()).fences.isSignaled((int) arg) ? 0 : -Errno.EBUSY;
  }

  /** Reads a hardware parameter (the chip id). */
  @UserReachable("ioctl")
  private int getParam(DrmFile file, long arg) {
    GpuDevice gpu = GpuDevice.of(file.drm());
    try (DrmSection section = gpu.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      return gpu.bar0.readl(REG_CHIP_ID);
    }
  }

  /** Only logs: no hardware, no freeing of what drmm frees afterwards. */
  @Override
  public void release(DrmDevice drm) {
    dmesg.log("gpu: release hook, " + GpuDevice.of(drm).vram.used() + " byte(s) of VRAM still in use");
  }

  /**
   * GEM free runs at the last reference, possibly long after unbind: the VRAM goes back to the drm-scoped pool,
   * and the GTT entry is cleared only while the GPU is still there.
   */
  private final class BoFuncs implements GemObjectFuncs {
    @Override
    public void free(GemObject obj) {
      GpuDevice gpu = GpuDevice.of(obj.drm());
      if (obj.isImport()) {
        dmesg.log("gpu: freed import " + obj.name());
        return; // the PRIME core drops the dma-buf; nothing of ours to undo
      }
      int offset = gpu.vram.offsetOf(obj);
      try (DrmSection section = gpu.enterScoped()) {
        if (section.entered()) {
          gpu.bar0.writel(REG_GTT_UNMAP, offset);
        }
      }
      gpu.vram.release(obj);
      dmesg.log("gpu: freed " + obj.name());
    }
  }
}
