package dev.lifeguard.samples.gpu;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.scenario.ScenarioResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GpuScenariosTest {
  @Test
  void surpriseRemovalFailsIoctlsWithEnodevAndReleasesAtLastDmaBufClose() {
    ScenarioResult r = GpuScenarios.unplugWithOpenFd();
    r.assertClean();
    assertThat(r.report()).contains("ioctl SUBMIT returned -ENODEV");
    assertThat(r.report()).contains("ioctl GEM_CREATE returned -ENODEV");
    assertThat(r.report()).contains("rmmod gpu: EBUSY");
    assertThat(r.report()).contains("fence(s) force-signalled");
    assertThat(r.report().indexOf("close fd of dma-buf"))
        .isLessThan(r.report().indexOf("dmesg: gpu: release hook"));
  }

  @Test
  void unbindAndRebindGivesAFreshDevice() {
    ScenarioResult r = GpuScenarios.unbindAndRebind();
    r.assertClean();
    assertThat(r.report()).contains("checked: the second probe succeeded");
    assertThat(r.report()).contains("checked: the new interrupt handler ran");
    assertThat(r.report()).doesNotContain("rebind failed");
  }

  @Test
  void pagemapHoldsTheModuleUntilItsWorkerDroppedTheDevice() {
    ScenarioResult r = GpuScenarios.moduleUnloadWithForeignReference();
    r.assertClean();
    assertThat(r.report()).contains("rmmod gpu: EBUSY (refcount 1)");
    assertThat(r.report()).contains("dmesg: gpu: module exit done");
    assertThat(r.report().indexOf("the drm_pagemap worker runs"))
        .isLessThan(r.report().indexOf("dmesg: gpu: release hook"));
  }
}
