package dev.lifeguard.samples.panel;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.scenario.ScenarioResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PanelScenariosTest {
  @Test
  void unplugWithOpenFdEndsCleanAndIoctlsFailWithEnodev() {
    ScenarioResult r = PanelScenarios.unplugWithOpenFd();
    r.assertClean();
    assertThat(r.report()).contains("ioctl DIRTYFB returned -ENODEV");
    assertThat(r.report()).contains("ioctl ATOMIC_COMMIT returned -ENODEV");
    assertThat(r.report()).contains("open failed: ENODEV");
    assertThat(r.report()).contains("dmesg: usbpanel: release hook");
    assertThat(r.report()).contains("== clean");
  }

  @Test
  void unbindAndRebindLeavesNothingBehind() {
    ScenarioResult r = PanelScenarios.unbindAndRebind();
    r.assertClean();
    assertThat(r.report()).contains("rebind usb:usbpanel.1-1 to usbpanel");
    assertThat(r.report()).doesNotContain("rebind failed");
    assertThat(r.report()).contains("checked: a fresh drm device is registered");
    assertThat(r.report()).contains("ioctl GET_BACKLIGHT = 100");
  }

  @Test
  void moduleUnloadIsRefusedWhileAnFdIsOpenThenSucceeds() {
    ScenarioResult r = PanelScenarios.moduleUnload();
    r.assertClean();
    assertThat(r.report()).contains("rmmod usbpanel: EBUSY (refcount 1)");
    assertThat(r.report()).contains("dmesg: usbpanel: module exit done");
    assertThat(r.report().indexOf("release hook")).isLessThan(r.report().indexOf("module exit done"));
  }
}
