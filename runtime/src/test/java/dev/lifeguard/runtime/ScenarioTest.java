package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.module.KernelModule;
import dev.lifeguard.runtime.scenario.Scenario;
import dev.lifeguard.runtime.scenario.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  /** The full story with a correct driver: clean, and every step printed. */
  @Test
  void hotUnplugStoryWithCorrectDriverIsClean() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Scenario s = Scenario.begin("unplug with an open fd while ioctls are in flight",
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Bus spi = Bus.create("spi");
    Bus usb = Bus.create("usb");
    KernelModule m = KernelModule.load("panel");
    KernelModule other = KernelModule.load("gud");
    Panel panel = new Panel(m);
    Panel importer = new Panel(other);
    Device dev = s.step("add spi:panel.0", () -> spi.addDevice("panel.0"));
    Device idev = s.step("add usb:panel.1", () -> usb.addDevice("panel.1"));
    s.probe(spi, dev, panel);
    s.probe(usb, idev, importer);
    s.register(panel.drm);
    DrmFile f = s.open(panel.drm);
    DrmFile g = s.open(importer.drm);
    assertThat(s.ioctl(f, "SET_PLANE", 3)).isEqualTo(0);
    int h = s.step("create a GEM buffer", () -> {
      GemObject bo = GemObject.create(panel.drm, "fb", 4096);
      int handle = f.handleCreate(bo);
      bo.put();
      return handle;
    });
    DmaBuf buf = s.export(f, h);
    int ih = s.importBuf(g, buf);
    assertThat(ih).isGreaterThan(0);
    s.close(buf);
    s.concurrently("ioctls in flight while the cable is pulled",
        () -> s.ioctl(f, "SET_PLANE", 1),
        () -> s.ioctl(f, "GET_STATUS", 0),
        () -> s.unplug(spi, dev));
    assertThat(s.ioctl(f, "SET_PLANE", 1)).isLessThan(0);
    assertThat(s.open(panel.drm)).isNull();
    assertThat(s.unloadModule(m)).isFalse();
    s.close(f);
    assertThat(s.unloadModule(m)).isFalse(); // the importer's GEM object still pins the dma-buf and module
    s.close(g);
    assertThat(s.unloadModule(m)).isTrue();
    s.unbind(usb, idev);
    Device again = s.step("replug usb:panel.1", () -> idev);
    assertThat(s.rebind(usb, again, importer)).isEqualTo(0);
    s.unbind(usb, again);
    ScenarioResult r = s.end();
    r.assertClean();
    String story = bytes.toString(StandardCharsets.UTF_8);
    assertThat(story).contains("[1] add spi:panel.0");
    assertThat(story).contains("concurrently: ioctls in flight while the cable is pulled");
    assertThat(story).contains("rmmod panel: EBUSY");
    assertThat(story).contains("== clean: unplug with an open fd");
  }

  @Test
  void buggyStoryPrintsViolationsInOrderAndAssertCleanFails() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Scenario s = Scenario.begin("unguarded ioctl after unbind", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Bus spi = Bus.create("spi");
    Panel panel = new Panel(KernelModule.load("panel"));
    panel.guarded = false;
    panel.unplugInRemove = false;
    Device dev = spi.addDevice("panel.0");
    s.probe(spi, dev, panel);
    DrmFile f = s.open(panel.drm);
    s.unplug(spi, dev);
    s.ioctl(f, "SET_PLANE", 1);
    ScenarioResult r = s.end(); // the fd is still open: the drm device leaks
    assertThat(r.has(ViolationKind.USE_AFTER_UNBIND)).isTrue();
    assertThat(r.has(ViolationKind.LEAK)).isTrue();
    AssertionError e = assertThrows(AssertionError.class, r::assertClean);
    assertThat(e.getMessage()).contains("MMIO write to `regs`");
    String story = r.report();
    assertThat(story.indexOf("ioctl SET_PLANE(1)")).isLessThan(story.indexOf("!! USE_AFTER_UNBIND"));
    assertThat(story.indexOf("!! USE_AFTER_UNBIND")).isLessThan(story.indexOf("!! LEAK"));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(story);
  }
}
