package dev.lifeguard.samples.vkms;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmTimer;
import dev.lifeguard.runtime.scenario.Scenario;
import dev.lifeguard.runtime.scenario.ScenarioResult;
import dev.lifeguard.samples.Story;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Hot-unplug stories of vkms: the device goes away under a compositor while its vblank timer is armed. */
public final class VkmsScenarios {
  private VkmsScenarios() {}

  /**
   * The vkms device is destroyed while a compositor reads CRCs in a loop and the vblank timer is armed. Reads in
   * flight finish, later ones fail with {@code -ENODEV}; the timer fires once more after the unbind, counts the
   * vblank, skips composing and stops.
   */
  public static ScenarioResult unplugWithOpenFd() {
    Scenario s = Scenario.begin("vkms: device destroyed under an open fd while CRC reads and the vblank timer run");
    VkmsModule m = s.step("insmod vkms (creates faux:vkms)", VkmsModule::insmod);
    Device dev = m.device();
    Vkms vkms = m.driver().drmOf(dev);
    Story.check(s, vkms != null && vkms.isRegistered(), "the faux device probed and registered vkms");
    m.dmesg().drainTo(s);

    DrmFile fd = s.open(vkms);
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == 0, "the modeset enabled the crtc and armed the vblank timer");
    DrmTimer timer = vkms.output.timer(m.driver());
    for (int i = 0; i < 3; i++) {
      Story.check(s, s.step("the vblank timer fires", timer::runPending), "it was armed");
    }
    Story.check(s, Story.ioctlValue(s, fd, "WAIT_VBLANK", 0) == 3, "three vblanks were counted");
    Story.check(s, Story.ioctlValue(s, fd, "GET_CRC", 0) != 0, "a frame was composed");

    CountDownLatch reading = new CountDownLatch(1);
    AtomicReference<List<Integer>> reads = new AtomicReference<>(List.of());
    s.concurrently("the compositor keeps reading CRCs while the device is destroyed",
        () -> reads.set(Story.ioctlUntilGone(s, fd, "GET_CRC", 0, reading)),
        () -> {
          Story.await(reading, "the first CRC read");
          s.step("faux_device_destroy(vkms)", m::destroyDevice);
        });
    Story.check(s, Story.startedOk(reads.get()) && Story.endsWithEnodev(reads.get()),
        "CRC reads before the destroy succeeded, the first one after it failed with -ENODEV");
    m.dmesg().drainTo(s);

    Story.check(s, s.step("the vblank timer fires after unbind", timer::runPending) && vkms.vblanks() == 4,
        "the late vblank was counted in drm-scoped state");
    Story.check(s, !s.step("the vblank timer would fire again", timer::runPending),
        "the timer did not re-arm after unplug");
    m.dmesg().drainTo(s);
    Story.check(s, s.ioctl(fd, "GET_CRC", 0) == -Errno.ENODEV, "GET_CRC after unplug returns -ENODEV");
    Story.check(s, s.ioctl(fd, "WAIT_VBLANK", 0) == -Errno.ENODEV, "WAIT_VBLANK after unplug returns -ENODEV");
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == -Errno.ENODEV, "a modeset after unplug returns -ENODEV");
    Story.check(s, !s.unloadModule(m.module()), "rmmod vkms is refused while the fd is open");

    s.close(fd);
    m.dmesg().drainTo(s);
    Story.check(s, !vkms.isAlive() && m.dmesg().contains("release hook after 4 vblank(s)"),
        "closing the fd released vkms");
    Story.check(s, s.unloadModule(m.module()), "rmmod vkms succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** Unbind and bind the faux device through sysfs: the second probe builds a fresh vkms, nothing is left over. */
  public static ScenarioResult unbindAndRebind() {
    Scenario s = Scenario.begin("vkms: unbind and rebind on the faux bus");
    VkmsModule m = s.step("insmod vkms (creates faux:vkms)", VkmsModule::insmod);
    Device dev = m.device();
    Bus faux = dev.bus();
    BusDriver stub = dev.driver();
    Vkms first = m.driver().drmOf(dev);
    DrmFile fd = s.open(first);
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == 0, "the first binding scans out");
    s.step("the vblank timer fires", first.output.timer(m.driver())::runPending);
    s.close(fd);
    Story.check(s, first.isAlive(), "the bound device still holds the drm device after close");

    s.unbind(faux, dev);
    m.dmesg().drainTo(s);
    Story.check(s, !first.isAlive() && m.dmesg().contains("release hook after 1 vblank(s)"),
        "unbind unplugged and released the first vkms");
    Story.check(s, dev.devresNames().isEmpty() && m.driver().deviceCount() == 0,
        "scratch buffer, unplug action and drm reference are gone; no counted device is left");

    Story.check(s, s.rebind(faux, dev, stub) == 0, "the second probe succeeded");
    Vkms second = m.driver().drmOf(dev);
    Story.check(s, second != null && second != first && second.isRegistered(), "a fresh vkms is registered");
    Story.check(s, dev.devresNames().contains("vkms unplug") && m.driver().deviceCount() == 1,
        "the second binding has its own scratch buffer and unplug action");
    DrmFile fd2 = s.open(second);
    Story.check(s, Story.ioctlValue(s, fd2, "WAIT_VBLANK", 0) == 0, "the new vblank counter starts at 0");
    Story.check(s, s.ioctl(fd2, "ATOMIC_COMMIT", 0) == 0, "userspace modesets the second binding");
    s.close(fd2);

    Story.check(s, s.unloadModule(m.module()), "rmmod vkms succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** rmmod while an fd is open is refused; after close rmmod destroys the device and unloads cleanly. */
  public static ScenarioResult moduleUnload() {
    Scenario s = Scenario.begin("vkms: module unload refused while an fd is open, then clean");
    VkmsModule m = s.step("insmod vkms (creates faux:vkms)", VkmsModule::insmod);
    Vkms vkms = m.driver().drmOf(m.device());
    DrmFile fd = s.open(vkms);
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == 0, "the crtc is on and the vblank timer armed");
    DrmTimer timer = vkms.output.timer(m.driver());

    Story.check(s, !s.unloadModule(m.module()), "rmmod vkms is refused with EBUSY: the fd pins the module");
    Story.check(s, m.device() != null && vkms.isRegistered(), "the device is untouched");

    s.close(fd);
    Story.check(s, s.unloadModule(m.module()), "with the fd closed, rmmod vkms succeeded");
    m.dmesg().drainTo(s);
    Story.check(s, !vkms.isAlive() && m.driver().deviceCount() == 0 && m.device() == null,
        "module exit destroyed the device and vkms was released before exit returned");
    Story.check(s, !s.step("the vblank timer after rmmod", timer::runPending),
        "the drmm action cancelled the timer before its module went");
    return s.end();
  }
}
