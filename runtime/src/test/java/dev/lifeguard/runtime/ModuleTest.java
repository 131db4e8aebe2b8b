package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.Workqueue;
import dev.lifeguard.runtime.module.DeviceCount;
import dev.lifeguard.runtime.module.KernelModule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModuleTest {
  @BeforeEach
  void reset() {
    Kernel.reset();
  }

  @Test
  void refcountGetTryGetPut() {
    KernelModule m = KernelModule.load("m");
    m.get();
    assertThat(m.tryGet()).isTrue();
    assertThat(m.refcount()).isEqualTo(2);
    assertThat(m.unload()).isFalse();
    m.put();
    m.put();
    assertThat(m.unload()).isTrue();
    assertThat(m.isLoaded()).isFalse();
    assertThat(m.tryGet()).isFalse();
    m.put();
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void failingInitThrows() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> KernelModule.load("m", () -> -Errno.ENODEV, null));
    assertThat(e.errno()).isEqualTo(Errno.ENODEV);
  }

  @Test
  void openFdRefusesUnloadAndExitUnbinds() {
    Bus spi = Bus.create("spi");
    Device dev = spi.addDevice("panel.0");
    Panel[] p = new Panel[1];
    KernelModule m = KernelModule.load("panel", null, () -> spi.unregisterDriver(p[0]));
    p[0] = new Panel(m);
    spi.registerDriver(p[0]);
    DrmFile f = DrmFile.open(p[0].drm);
    assertThat(m.unload()).isFalse(); // EBUSY
    f.close();
    assertThat(m.unload()).isTrue();
    assertThat(p[0].events).containsExactly("probe", "remove", "release hook").inOrder();
    assertThat(dev.isBound()).isFalse();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void workAfterUnloadIsModuleCodeAfterUnload() {
    KernelModule m = KernelModule.load("m");
    Workqueue wq = Workqueue.alloc("flush", m);
    int[] ran = new int[1];
    wq.queueWork(() -> ran[0]++);
    m.unload();
    wq.runPending();
    assertThat(ran[0]).isEqualTo(0);
    assertThat(Kernel.violations(ViolationKind.MODULE_CODE_AFTER_UNLOAD).get(0).context()).isEqualTo("work flush");
  }

  /** Seed 002: a device count plus drm_dev_release_barrier makes exit wait for a foreign last put. */
  @Test
  void deviceCountAndReleaseBarrierMakeExitSafe() throws Exception {
    Bus spi = Bus.create("spi");
    spi.addDevice("panel.0");
    DeviceCount count = new DeviceCount();
    Panel[] p = new Panel[1];
    KernelModule m = KernelModule.load("xe", null, () -> {
      spi.unregisterDriver(p[0]);
      count.awaitZero();
      DrmDevice.releaseBarrier();
    });
    p[0] = new Panel(m) {
      @Override
      public int probe(Device dev) {
        int ret = super.probe(dev);
        count.inc();
        Drmm.addAction(drm, "device count", d -> count.dec());
        Drmm.addAction(drm, "slow driver teardown", d -> sleep(20)); // runs after the count drops
        return ret;
      }
    };
    spi.registerDriver(p[0]);
    DrmDevice foreign = p[0].drm.get(); // drm_pagemap style reference without a module reference
    Thread holder = new Thread(() -> {
      sleep(100);
      foreign.put();
    });
    holder.start();
    assertThat(m.unload()).isTrue(); // waits for the count and the barrier
    holder.join();
    assertThat(Kernel.violations()).isEmpty();
    assertThat(count.count()).isEqualTo(0);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
