package dev.lifeguard.samples.vgem;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.scenario.ScenarioResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VgemScenariosTest {
  @Test
  void destroyUnderAnOpenFdFailsMapsWithEnodevAndTheImportPinsTheGpu() {
    ScenarioResult r = VgemScenarios.unplugWithOpenFd();
    r.assertClean();
    assertThat(r.report()).contains("ioctl CREATE_DUMB returned -ENODEV");
    assertThat(r.report()).contains("rmmod gpu: EBUSY");
    assertThat(r.report()).contains("dmesg: vgem: release hook, buffers: 1 created, 1 imported, 2 freed");
  }

  @Test
  void groupReleaseAndRecreateLeavesNothingBehind() {
    ScenarioResult r = VgemScenarios.unbindAndRebind();
    r.assertClean();
    assertThat(r.report()).contains("checked: a fresh vgem is registered");
    assertThat(r.report()).contains("ioctl MAP = 4096");
  }

  @Test
  void exportedBufferPinsTheModuleUntilTheImporterLetsGo() {
    ScenarioResult r = VgemScenarios.moduleUnloadWithExportedBuffer();
    r.assertClean();
    assertThat(r.report()).contains("rmmod vgem: EBUSY (refcount 1)");
    assertThat(r.report()).contains("dmesg: vgem: module exit done");
  }
}
