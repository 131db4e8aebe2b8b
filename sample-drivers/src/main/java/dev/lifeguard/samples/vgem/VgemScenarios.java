package dev.lifeguard.samples.vgem;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.scenario.Scenario;
import dev.lifeguard.runtime.scenario.ScenarioResult;
import dev.lifeguard.samples.Story;
import dev.lifeguard.samples.gpu.GpuDevice;
import dev.lifeguard.samples.gpu.GpuModule;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Stories of vgem sharing buffers with the gpu driver through dma-buf. */
public final class VgemScenarios {
  private static final String GPU_SLOT = "gpu.0000:03:00.0";

  private VgemScenarios() {}

  /**
   * vgem imports a GPU buffer, then its device is destroyed while userspace maps buffers in a loop: maps in flight
   * finish, later ones fail with {@code -ENODEV}. The import keeps the GPU module pinned until vgem's fd closes.
   */
  public static ScenarioResult unplugWithOpenFd() {
    Scenario s = Scenario.begin("vgem: device destroyed under an open fd holding an imported GPU buffer");
    Bus pci = Bus.create("pci");
    GpuModule gpuMod = s.step("insmod gpu", () -> GpuModule.insmod(pci));
    VgemModule m = s.step("insmod vgem", VgemModule::insmod);
    Device gpuDev = s.step("PCI hotplug adds pci:" + GPU_SLOT, () -> pci.addDevice(GPU_SLOT));
    GpuDevice gpu = gpuMod.driver().drmOf(gpuDev);
    Vgem vgem = m.driver().current();
    Story.check(s, gpu != null && vgem != null, "both drm devices are registered");

    DrmFile gpuFd = s.open(gpu);
    int gpuBo = Story.ioctlValue(s, gpuFd, "GEM_CREATE", 8192);
    DmaBuf buf = s.export(gpuFd, gpuBo);
    DrmFile fd = s.open(vgem);
    int imported = s.importBuf(fd, buf);
    s.close(buf);
    Story.check(s, Story.ioctlValue(s, fd, "MAP", imported) == 8192, "vgem maps the imported GPU buffer");
    int own = Story.ioctlValue(s, fd, "CREATE_DUMB", 4096);
    Story.check(s, own > 0, "vgem created a dumb buffer of its own");

    CountDownLatch mapping = new CountDownLatch(1);
    AtomicReference<List<Integer>> maps = new AtomicReference<>(List.of());
    s.concurrently("userspace keeps mapping while the vgem device is destroyed",
        () -> maps.set(Story.ioctlUntilGone(s, fd, "MAP", imported, mapping)),
        () -> {
          Story.await(mapping, "the first map");
          s.step("destroy the vgem device", m::destroyDevice);
        });
    Story.check(s, Story.startedOk(maps.get()) && Story.endsWithEnodev(maps.get()),
        "maps before the destroy succeeded, the first one after it failed with -ENODEV");
    Story.check(s, s.ioctl(fd, "CREATE_DUMB", 4096) == -Errno.ENODEV, "CREATE_DUMB after unplug returns -ENODEV");
    Story.check(s, s.ioctl(fd, "MAP", own) == -Errno.ENODEV, "MAP after unplug returns -ENODEV");
    m.dmesg().drainTo(s);

    s.close(gpuFd);
    Story.check(s, gpu.isAlive() && !s.unloadModule(gpuMod.module()),
        "vgem's import still pins the GPU buffer, drm device and module: rmmod gpu is refused");
    s.close(fd);
    m.dmesg().drainTo(s);
    gpuMod.dmesg().drainTo(s);
    Story.check(s, !vgem.isAlive() && m.dmesg().contains("buffers: 1 created, 1 imported, 2 freed"),
        "closing vgem's fd freed both buffers and released vgem");
    Story.check(s, gpuMod.dmesg().contains("freed gpu-bo@0") && gpu.refcount() == 1,
        "dropping the import released the dma-buf and the GPU buffer; only the binding holds the GPU now");

    Story.check(s, s.unloadModule(gpuMod.module()), "rmmod gpu succeeded");
    Story.check(s, s.unloadModule(m.module()), "rmmod vgem succeeded");
    s.unplug(pci, gpuDev);
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** Destroy and re-create the vgem device: the devres group goes with its drm device, a fresh one comes. */
  public static ScenarioResult unbindAndRebind() {
    Scenario s = Scenario.begin("vgem: release the devres group and create the device again");
    VgemModule m = s.step("insmod vgem", VgemModule::insmod);
    Vgem first = m.driver().current();
    DrmFile fd = s.open(first);
    Story.check(s, Story.ioctlValue(s, fd, "CREATE_DUMB", 4096) > 0, "the first device creates buffers");
    s.close(fd);

    s.step("destroy the vgem device (unplug, release its devres group)", m::destroyDevice);
    m.dmesg().drainTo(s);
    Story.check(s, !first.isAlive() && m.dmesg().contains("buffers: 1 created, 0 imported, 1 freed"),
        "the first drm device was released");
    Story.check(s, m.device().devresNames().isEmpty() && m.driver().deviceCount() == 0,
        "the virtual device has no devres left and no counted device");

    Story.check(s, s.step("create the vgem device again", m::createDevice) == 0, "the second creation succeeded");
    Vgem second = m.driver().current();
    Story.check(s, second != null && second != first && second.isRegistered(), "a fresh vgem is registered");
    DrmFile fd2 = s.open(second);
    int bo = Story.ioctlValue(s, fd2, "CREATE_DUMB", 4096);
    Story.check(s, bo > 0 && Story.ioctlValue(s, fd2, "MAP", bo) == 4096, "the second device creates and maps");
    s.close(fd2);

    Story.check(s, s.unloadModule(m.module()), "rmmod vgem succeeded");
    m.dmesg().drainTo(s);
    Story.check(s, !second.isAlive() && !m.device().isAlive(), "module exit released vgem and its virtual device");
    return s.end();
  }

  /**
   * vgem exports a buffer that the GPU imports: rmmod vgem is refused while the dma-buf lives, because it pins
   * vgem's module; once the GPU dropped its import, rmmod vgem succeeds.
   */
  public static ScenarioResult moduleUnloadWithExportedBuffer() {
    Scenario s = Scenario.begin("vgem: module unload refused while the GPU imports its buffer, then clean");
    Bus pci = Bus.create("pci");
    GpuModule gpuMod = s.step("insmod gpu", () -> GpuModule.insmod(pci));
    VgemModule m = s.step("insmod vgem", VgemModule::insmod);
    Device gpuDev = s.step("PCI hotplug adds pci:" + GPU_SLOT, () -> pci.addDevice(GPU_SLOT));
    GpuDevice gpu = gpuMod.driver().drmOf(gpuDev);
    Vgem vgem = m.driver().current();

    DrmFile fd = s.open(vgem);
    int bo = Story.ioctlValue(s, fd, "CREATE_DUMB", 16384);
    DmaBuf buf = s.export(fd, bo);
    DrmFile gpuFd = s.open(gpu);
    int imported = s.importBuf(gpuFd, buf);
    Story.check(s, imported > 0, "the GPU imported vgem's buffer");
    s.close(buf);
    s.close(fd);

    Story.check(s, !s.unloadModule(m.module()), "rmmod vgem is refused: the GPU's import pins vgem's dma-buf");
    Story.check(s, vgem.isAlive() && m.driver().current() == vgem, "vgem is untouched");

    s.close(gpuFd);
    gpuMod.dmesg().drainTo(s);
    m.dmesg().drainTo(s);
    Story.check(s, m.module().refcount() == 0 && m.dmesg().contains("freed vgem-bo-1"),
        "closing the GPU's fd freed the import, the dma-buf and vgem's buffer");
    Story.check(s, s.unloadModule(m.module()), "rmmod vgem succeeded");
    m.dmesg().drainTo(s);
    Story.check(s, !vgem.isAlive() && m.driver().deviceCount() == 0, "vgem was released before exit returned");

    s.unplug(pci, gpuDev);
    Story.check(s, s.unloadModule(gpuMod.module()), "rmmod gpu succeeded");
    return s.end();
  }
}
