package dev.lifeguard.samples.panel;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.scenario.Scenario;
import dev.lifeguard.runtime.scenario.ScenarioResult;
import dev.lifeguard.samples.Story;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Hot-unplug stories of the usbpanel driver; each starts a fresh world and ends with the leak check. */
public final class PanelScenarios {
  private PanelScenarios() {}

  /**
   * The cable is pulled while a compositor flushes damage in a loop: the flushes in flight finish, later ones
   * fail with {@code -ENODEV}, cached state stays readable, and the device is released at close.
   */
  public static ScenarioResult unplugWithOpenFd() {
    Scenario s = Scenario.begin("usbpanel: unplug with an open fd while DIRTYFB ioctls are in flight");
    Bus usb = Bus.create("usb");
    PanelModule m = s.step("insmod usbpanel", () -> PanelModule.insmod(usb));
    Device dev = s.step("plug in usb:usbpanel.1-1", () -> usb.addDevice("usbpanel.1-1"));
    PanelDevice panel = m.driver().drmOf(dev);
    Story.check(s, panel != null && dev.isBound(), "probe bound the panel and registered its drm device");
    m.dmesg().drainTo(s);

    DrmFile fd = s.open(panel);
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == 0, "the modeset reached the panel");
    Story.check(s, s.ioctl(fd, "SET_BACKLIGHT", 80) == 0, "the backlight was set to 80");

    CountDownLatch flushing = new CountDownLatch(1);
    AtomicReference<List<Integer>> flushes = new AtomicReference<>(List.of());
    s.concurrently("the compositor keeps flushing while the cable is pulled",
        () -> flushes.set(Story.ioctlUntilGone(s, fd, "DIRTYFB", 16, flushing)),
        () -> {
          Story.await(flushing, "the first flush");
          s.unplug(usb, dev);
        });
    Story.check(s, Story.startedOk(flushes.get()) && Story.endsWithEnodev(flushes.get()),
        "flushes before the unplug succeeded, the first one after it failed with -ENODEV");
    m.dmesg().drainTo(s);

    Story.check(s, s.ioctl(fd, "DIRTYFB", 16) == -Errno.ENODEV, "DIRTYFB after unplug returns -ENODEV");
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == -Errno.ENODEV, "a modeset after unplug returns -ENODEV");
    Story.check(s, Story.ioctlValue(s, fd, "GET_BACKLIGHT", 0) == 80,
        "drm-scoped state is still readable: backlight 80");
    Story.check(s, s.open(panel) == null, "a new open of the pulled panel fails");
    Story.check(s, panel.isAlive() && !m.dmesg().contains("release hook"),
        "the open fd keeps the drm device alive after unbind");

    s.close(fd);
    m.dmesg().drainTo(s);
    Story.check(s, m.dmesg().contains("release hook") && !panel.isAlive(),
        "closing the last fd ran the release hook and freed the container");
    Story.check(s, s.unloadModule(m.module()), "rmmod usbpanel succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** Unbind through sysfs and bind again: the second probe builds a fresh device, nothing of the first is left. */
  public static ScenarioResult unbindAndRebind() {
    Scenario s = Scenario.begin("usbpanel: unbind and rebind");
    Bus usb = Bus.create("usb");
    PanelModule m = s.step("insmod usbpanel", () -> PanelModule.insmod(usb));
    Device dev = s.step("plug in usb:usbpanel.1-1", () -> usb.addDevice("usbpanel.1-1"));
    PanelDevice first = m.driver().drmOf(dev);
    DrmFile fd = s.open(first);
    Story.check(s, s.ioctl(fd, "ATOMIC_COMMIT", 0) == 0 && s.ioctl(fd, "DIRTYFB", 4) == 0,
        "the first binding scans out");
    s.close(fd);

    s.unbind(usb, dev);
    m.dmesg().drainTo(s);
    Story.check(s, !first.isAlive() && m.dmesg().count("release hook") == 1,
        "with no fd open, unbind released the first drm device");
    Story.check(s, dev.devresNames().isEmpty() && m.driver().deviceCount() == 0,
        "no devres entries and no counted device are left over");

    Story.check(s, s.rebind(usb, dev, m.driver()) == 0, "the second probe succeeded and initialised the controller");
    PanelDevice second = m.driver().drmOf(dev);
    Story.check(s, second != null && second != first && second.isRegistered(), "a fresh drm device is registered");
    Story.check(s, dev.devresNames().contains("devm_ioremap usbpanel-regs") && m.driver().deviceCount() == 1,
        "the second binding has its own register mapping and counted device");
    DrmFile fd2 = s.open(second);
    Story.check(s, Story.ioctlValue(s, fd2, "GET_BACKLIGHT", 0) == 100, "its state starts from the defaults");
    Story.check(s, s.ioctl(fd2, "ATOMIC_COMMIT", 0) == 0 && s.ioctl(fd2, "DIRTYFB", 4) == 0,
        "the second binding scans out from userspace, through its own sections");
    s.close(fd2);

    s.unplug(usb, dev);
    Story.check(s, s.unloadModule(m.module()), "rmmod usbpanel succeeded");
    m.dmesg().drainTo(s);
    return s.end();
  }

  /** rmmod while userspace holds an fd is refused; after close, rmmod unbinds the panel and unloads cleanly. */
  public static ScenarioResult moduleUnload() {
    Scenario s = Scenario.begin("usbpanel: module unload refused while an fd is open, then clean");
    Bus usb = Bus.create("usb");
    PanelModule m = s.step("insmod usbpanel", () -> PanelModule.insmod(usb));
    Device dev = s.step("plug in usb:usbpanel.1-1", () -> usb.addDevice("usbpanel.1-1"));
    PanelDevice panel = m.driver().drmOf(dev);
    DrmFile fd = s.open(panel);
    Story.check(s, s.ioctl(fd, "SET_BACKLIGHT", 40) == 0, "the backlight was set");

    Story.check(s, !s.unloadModule(m.module()), "rmmod usbpanel is refused with EBUSY: the fd pins the module");
    Story.check(s, m.module().isLoaded() && dev.isBound(), "module and binding are untouched");
    Story.check(s, s.ioctl(fd, "DIRTYFB", 8) == 0, "the panel keeps working");

    s.close(fd);
    Story.check(s, s.unloadModule(m.module()), "with the fd closed, rmmod usbpanel succeeded");
    m.dmesg().drainTo(s);
    Story.check(s, !dev.isBound() && !panel.isAlive() && m.dmesg().contains("release hook"),
        "module exit unbound the panel and its drm device was released before exit returned");
    Story.check(s, m.driver().deviceCount() == 0 && !m.module().isLoaded(), "device count 0, module gone");

    s.unplug(usb, dev);
    return s.end();
  }
}
