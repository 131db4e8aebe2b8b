package dev.lifeguard.samples.gpu;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.scenario.Scenario;
import dev.lifeguard.runtime.scenario.ScenarioResult;
import dev.lifeguard.samples.Story;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Hot-unplug stories of the gpu driver and its drm_pagemap helper. */
public final class GpuScenarios {
  static final String PCI_SLOT = "gpu.0000:03:00.0";

  private GpuScenarios() {}

  /**
   * The GPU falls off the bus while userspace submits jobs and holds an exported buffer: submits in flight
   * finish, later ones fail with {@code -ENODEV}, pending fences are force-signalled, and the drm device lives
   * until the last fd and the dma-buf are closed.
   */
  public static ScenarioResult unplugWithOpenFd() {
    Scenario s = Scenario.begin("gpu: surprise removal while SUBMIT ioctls are in flight and a buffer is exported");
    Bus pci = Bus.create("pci");
    GpuModule m = s.step("insmod gpu", () -> GpuModule.insmod(pci));
    Device dev = s.step("PCI hotplug adds pci:" + PCI_SLOT, () -> pci.addDevice(PCI_SLOT));
    GpuDevice gpu = m.driver().drmOf(dev);
    Story.check(s, gpu != null, "probe bound the GPU");
    m.dmesg().drainTo(s);

    DrmFile fd = s.open(gpu);
    Story.check(s, Story.ioctlValue(s, fd, "GET_PARAM", 0) == GpuDriver.CHIP_ID, "the chip id reads back");
    int bo = Story.ioctlValue(s, fd, "GEM_CREATE", 4096);
    Story.check(s, bo > 0, "a 4 KiB VRAM buffer was created");
    int job = Story.ioctlValue(s, fd, "SUBMIT", bo);
    hardwareCompletesJobs(s, dev);
    Story.check(s, s.ioctl(fd, "WAIT", job) == 0, "the interrupt handler signalled the job's fence");
    DmaBuf exported = s.export(fd, bo);

    CountDownLatch submitting = new CountDownLatch(1);
    AtomicReference<List<Integer>> submits = new AtomicReference<>(List.of());
    s.concurrently("userspace keeps submitting while the GPU falls off the bus",
        () -> submits.set(Story.ioctlUntilGone(s, fd, "SUBMIT", bo, submitting)),
        () -> {
          Story.await(submitting, "the first submit");
          s.unplug(pci, dev);
        });
    Story.check(s, Story.startedOk(submits.get()) && Story.endsWithEnodev(submits.get()),
        "submits before the removal got fences, the first one after it failed with -ENODEV");
    m.dmesg().drainTo(s);
    int lastFence = submits.get().stream().mapToInt(Integer::intValue).max().orElse(job);

    Story.check(s, s.ioctl(fd, "WAIT", lastFence) == 0, "the last fence was force-signalled by remove()");
    Story.check(s, s.ioctl(fd, "SUBMIT", bo) == -Errno.ENODEV, "SUBMIT after removal returns -ENODEV");
    Story.check(s, s.ioctl(fd, "GEM_CREATE", 4096) == -Errno.ENODEV, "GEM_CREATE after removal returns -ENODEV");
    Story.check(s, s.ioctl(fd, "GET_PARAM", 0) == -Errno.ENODEV, "GET_PARAM after removal returns -ENODEV");
    Story.check(s, !s.unloadModule(m.module()), "rmmod gpu is refused: the fd and the dma-buf pin the module");

    s.close(fd);
    Story.check(s, gpu.isAlive() && !m.dmesg().contains("release hook"),
        "the exported dma-buf still pins the buffer and the drm device");
    s.close(exported);
    m.dmesg().drainTo(s);
    Story.check(s, !gpu.isAlive() && m.dmesg().contains("release hook, 0 byte(s) of VRAM still in use"),
        "closing the dma-buf freed the buffer, then the release hook ran with all VRAM returned");
    Story.check(s, s.unloadModule(m.module()), "rmmod gpu succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** Unbind through sysfs and bind again: a fresh device with its own BAR, IRQ and fences. */
  public static ScenarioResult unbindAndRebind() {
    Scenario s = Scenario.begin("gpu: unbind and rebind");
    Bus pci = Bus.create("pci");
    GpuModule m = s.step("insmod gpu", () -> GpuModule.insmod(pci));
    Device dev = s.step("PCI hotplug adds pci:" + PCI_SLOT, () -> pci.addDevice(PCI_SLOT));
    GpuDevice first = m.driver().drmOf(dev);
    DrmFile fd = s.open(first);
    int bo = Story.ioctlValue(s, fd, "GEM_CREATE", 8192);
    int job = Story.ioctlValue(s, fd, "SUBMIT", bo);
    hardwareCompletesJobs(s, dev);
    Story.check(s, s.ioctl(fd, "WAIT", job) == 0, "the first binding runs jobs");
    s.close(fd);

    s.unbind(pci, dev);
    m.dmesg().drainTo(s);
    Story.check(s, !first.isAlive() && m.dmesg().contains("release hook, 0 byte(s)"),
        "the first drm device was released with its VRAM returned");
    Story.check(s, dev.devresNames().isEmpty() && m.driver().deviceCount() == 0,
        "BAR, IRQ and the devm drm reference are gone; no counted device is left");

    Story.check(s, s.rebind(pci, dev, m.driver()) == 0, "the second probe succeeded (chip id read, IRQ requested)");
    GpuDevice second = m.driver().drmOf(dev);
    Story.check(s, second != null && second != first && second.isRegistered(), "a fresh drm device is registered");
    Story.check(s, dev.devresNames().contains("devm_request_irq " + GpuDriver.GPU_IRQ),
        "the second binding owns IRQ " + GpuDriver.GPU_IRQ + " again");
    Story.check(s, s.step("irq " + GpuDriver.GPU_IRQ + " fires on the new registration", () -> second.irq.fire()),
        "the new interrupt handler ran");
    DrmFile fd2 = s.open(second);
    Story.check(s, s.ioctl(fd2, "WAIT", 0) == 0 && second.vramUsed() == 0, "fences and VRAM start empty");
    Story.check(s, Story.ioctlValue(s, fd2, "GET_PARAM", 0) >= 0, "userspace reads the new BAR through a section");
    s.close(fd2);

    s.unplug(pci, dev);
    Story.check(s, s.unloadModule(m.module()), "rmmod gpu succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /**
   * A peer device maps GPU memory through drm_pagemap, another module that holds the GPU's drm device and module.
   * rmmod gpu is refused while it does; once its worker dropped both, rmmod gpu succeeds.
   */
  public static ScenarioResult moduleUnloadWithForeignReference() {
    Scenario s = Scenario.begin("gpu: module unload refused while drm_pagemap holds the device, then clean");
    Bus pci = Bus.create("pci");
    GpuModule m = s.step("insmod gpu", () -> GpuModule.insmod(pci));
    DrmPagemapModule pagemaps = s.step("insmod drm_pagemap", DrmPagemapModule::insmod);
    Device dev = s.step("PCI hotplug adds pci:" + PCI_SLOT, () -> pci.addDevice(PCI_SLOT));
    GpuDevice gpu = m.driver().drmOf(dev);
    DrmFile fd = s.open(gpu);
    int bo = Story.ioctlValue(s, fd, "GEM_CREATE", 4096);
    Story.check(s, bo > 0, "userspace allocated VRAM");
    DrmPagemap pagemap = s.step("a peer device maps the GPU's VRAM: drm_pagemap_create takes the gpu module and"
        + " a drm reference", () -> pagemaps.create(gpu));
    s.close(fd);

    Story.check(s, !s.unloadModule(m.module()), "rmmod gpu is refused: drm_pagemap holds a module reference");
    s.unplug(pci, dev);
    m.dmesg().drainTo(s);
    Story.check(s, gpu.isAlive() && !m.dmesg().contains("release hook"),
        "after removal the pagemap still keeps the drm device alive");
    Story.check(s, !s.unloadModule(m.module()), "rmmod gpu is still refused after the removal");

    s.step("the peer unmaps: drm_pagemap_put queues the release", pagemap::put);
    int ran = s.step("the drm_pagemap worker runs", pagemaps::flush);
    m.dmesg().drainTo(s);
    Story.check(s, ran == 1 && !gpu.isAlive() && m.dmesg().contains("release hook"),
        "the worker dropped the last drm reference: the release hook ran while the gpu module was pinned");
    Story.check(s, m.module().refcount() == 0 && m.driver().deviceCount() == 0,
        "then it dropped the module reference; no gpu device is counted");
    Story.check(s, s.unloadModule(m.module()), "rmmod gpu succeeded");
    Story.check(s, s.unloadModule(pagemaps.module()), "rmmod drm_pagemap succeeded");
    m.dmesg().drainTo(s);
    pagemaps.dmesg().drainTo(s);
    return s.end();
  }

  /**
   * The simulated GPU finishes every submitted job: it copies the ring tail to the fence register and raises its
   * interrupt. These are the device's own register updates, not driver accesses, so they run as the device.
   */
  static void hardwareCompletesJobs(Scenario s, Device dev) {
    GpuDriver drv = (GpuDriver) dev.driver();
    GpuDevice gpu = drv.drmOf(dev);
    s.step("the GPU completes its jobs and raises irq " + GpuDriver.GPU_IRQ, () -> {
      Kernel.inBoundContext(dev, "gpu hardware", () -> {
        gpu.bar0.writel(GpuDriver.REG_FENCE_DONE, gpu.bar0.readl(GpuDriver.REG_RING_TAIL));
        gpu.bar0.writel(GpuDriver.REG_IRQ_STATUS, GpuDriver.IRQ_JOB_DONE);
        return null;
      });
      gpu.irq.fire();
    });
  }
}
