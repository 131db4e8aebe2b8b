package dev.lifeguard.samples.vgem;

import dev.lifeguard.annotations.UserReachable;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.DrmSection;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.gem.GemObjectFuncs;
import dev.lifeguard.samples.Dmesg;
import dev.lifeguard.samples.SampleDriver;
import java.util.Map;

/**
 * The vgem drm driver. There is no hardware: its ioctls still enter a section so that, once the device is gone,
 * they fail with {@code -ENODEV} instead of creating buffers on a dead device. GEM free touches drmm state only.
 */
public final class VgemDriver extends SampleDriver<Vgem> {
  private final GemObjectFuncs boFuncs = new BoFuncs();
  private volatile Vgem current;

  VgemDriver(Dmesg dmesg) {
    super("vgem", dmesg);
  }

  /** The vgem device now registered, or null. */
  public Vgem current() {
    return current;
  }

  /**
   * Creates the drm device on {@code vdev}. The caller opened a devres group on it, which holds the devm
   * reference of the container until {@link #remove} and the group release.
   */
  int probe(Device vdev) {
    Vgem vgem = Devm.drmDevAlloc(vdev, this, Vgem::new);
    if (vgem == null) {
      return -Errno.ENOMEM;
    }
    int ret = countDevice(vgem);
    if (ret != 0) {
      return ret;
    }
    vgem.stats = Drmm.kzalloc(vgem, VgemStats::new);
    if (vgem.stats == null) {
      return -Errno.ENOMEM;
    }
    ret = vgem.register();
    if (ret != 0) {
      return ret;
    }
    current = vgem;
    dmesg.log("vgem: device created on " + vdev.name());
    return 0;
  }

  /** Unplugs the device before its devres group goes: ioctls in flight finish, later ones fail. */
  void remove(Device vdev) {
    Vgem vgem = current;
    current = null;
    vgem.unplug();
    dmesg.log("vgem: device on " + vdev.name() + " unplugged");
  }

  @Override
  public Map<String, DrmIoctl> ioctls() {
    return Map.of("CREATE_DUMB", this::createDumb, "MAP", this::map);
  }

  @Override
  public GemObjectFuncs gemFuncs() {
    return boFuncs;
  }

  /** Creates a dumb buffer of {@code arg} bytes; returns its handle. */
  @UserReachable("ioctl")
  private int createDumb(DrmFile file, long arg) {
    if (arg <= 0 || arg > Integer.MAX_VALUE) {
      return -Errno.EINVAL;
    }
    Vgem vgem = Vgem.of(file.drm());
    try (DrmSection section = vgem.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      GemObject bo = GemObject.create(vgem, "vgem-bo-" + vgem.stats.nextCreated(), (int) arg);
      int handle = file.handleCreate(bo);
      bo.put(); // the handle holds it now
      return handle;
    }
  }

  /**
   * Maps the buffer of handle {@code arg} for CPU access; returns its size. An imported buffer is reached through
   * its import attachment, which holds the dma-buf for the object's whole life.
   */
  @UserReachable("ioctl")
  private int map(DrmFile file, long arg) {
    GemObject bo = file.lookup((int) arg);
    if (bo == null) {
      return -Errno.ENOENT;
    }
    Vgem vgem = Vgem.of(file.drm());
    try (DrmSection section = vgem.enterScoped()) {
      if (!section.entered()) {
        return -Errno.ENODEV;
      }
      if (bo.isImport()) {
        DmaBuf buf = bo.importAttach().dmaBuf();
        return buf.exporter().size();
      }
      return bo.size();
    } finally {
      bo.put();
    }
  }

  /** Only logs; drmm frees the statistics afterwards. */
  @Override
  public void release(DrmDevice drm) {
    dmesg.log("vgem: release hook, buffers: " + Vgem.of(drm).stats.summary());
  }

  /** GEM free: counts the buffer; imports drop their dma-buf in the PRIME core. */
  private final class BoFuncs implements GemObjectFuncs {
    @Override
    public void free(GemObject obj) {
      Vgem vgem = Vgem.of(obj.drm());
      if (obj.isImport()) {
        vgem.stats.countImport();
      }
      vgem.stats.countFree();
      dmesg.log("vgem: freed " + obj.name());
    }
  }
}
