package dev.lifeguard.samples.vkms;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.scenario.ScenarioResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VkmsScenariosTest {
  @Test
  void destroyUnderAnOpenFdLetsTheLateVblankCountButNotCompose() {
    ScenarioResult r = VkmsScenarios.unplugWithOpenFd();
    r.assertClean();
    assertThat(r.report()).contains("ioctl GET_CRC returned -ENODEV");
    assertThat(r.report()).contains("dmesg: vkms: vblank 4 after unplug, timer stops");
    assertThat(r.report()).contains("rmmod vkms: EBUSY");
  }

  @Test
  void unbindAndRebindOnTheFauxBus() {
    ScenarioResult r = VkmsScenarios.unbindAndRebind();
    r.assertClean();
    assertThat(r.report()).contains("rebind faux:vkms to faux_driver");
    assertThat(r.report()).contains("ioctl WAIT_VBLANK = 0");
    assertThat(r.report()).doesNotContain("rebind failed");
  }

  @Test
  void moduleUnloadWaitsForTheFdThenCancelsTheTimer() {
    ScenarioResult r = VkmsScenarios.moduleUnload();
    r.assertClean();
    assertThat(r.report()).contains("rmmod vkms: EBUSY (refcount 1)");
    assertThat(r.report()).contains("dmesg: vkms: module exit done");
    assertThat(r.report()).contains("checked: the drmm action cancelled the timer before its module went");
  }
}
