package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.DrmSection;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.SrcuIdx;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrmDeviceTest {
  static final class Drm extends DrmDevice {
    Drm(Init init) {
      super(init);
    }
  }

  final List<String> log = new CopyOnWriteArrayList<>();
  Drm drm;

  final DrmDriver driver = new DrmDriver() {
    @Override
    public String name() {
      return "tdrm";
    }

    @Override
    public KernelModule owner() {
      return null;
    }

    @Override
    public void release(DrmDevice d) {
      log.add("release hook in " + Kernel.currentContext() + ", container alive=" + d.isAlive());
    }
  };

  @BeforeEach
  void setUp() {
    Kernel.reset();
    drm = DrmDevice.alloc(Device.registerVirtual("t"), driver, Drm::new);
  }

  @Test
  void releaseSequenceIsHookThenDrmmLifoThenContainerLast() {
    Drmm.addAction(drm, "first", d -> log.add("first, container alive=" + d.isAlive()));
    Drmm.modeConfigInit(drm);
    Drmm.addAction(drm, "last", d -> log.add("last in " + Kernel.currentContext()));
    assertThat(drm.managedNames()).containsExactly("drm_dev_init_release", "drm_gem_init_release", "first",
        "drm_mode_config_cleanup", "last").inOrder();
    drm.put();
    assertThat(log).containsExactly("release hook in release hook, container alive=true",
        "last in drmm action last", "first, container alive=true").inOrder();
    assertThat(drm.isAlive()).isFalse();
    assertThat(drm.freedBy()).contains("final kfree");
    assertThat(drm.parent().refcount()).isEqualTo(1); // drm_dev_init_release put the parent
    drm.touch("read drm->dev");
    assertThat(Kernel.has(ViolationKind.USE_AFTER_FREE)).isTrue();
  }

  @Test
  void getPutAndDoublePut() {
    drm.get();
    drm.put();
    assertThat(drm.isAlive()).isTrue();
    drm.put();
    assertThat(drm.isAlive()).isFalse();
    drm.put();
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void registerAndUnregister() {
    drm.register();
    assertThat(drm.isRegistered()).isTrue();
    drm.unregister();
    assertThat(drm.isRegistered()).isFalse();
    assertThat(drm.isUnplugged()).isFalse();
  }

  @Test
  void enterIsNestableAndFailsAfterUnplug() {
    SrcuIdx outer = new SrcuIdx();
    SrcuIdx inner = new SrcuIdx();
    assertThat(drm.enter(outer)).isTrue();
    assertThat(drm.enter(inner)).isTrue();
    assertThat(inner.value()).isNotEqualTo(outer.value());
    drm.exit(inner);
    drm.exit(outer);
    drm.unplug();
    assertThat(drm.isUnplugged()).isTrue();
    assertThat(drm.isRegistered()).isFalse();
    assertThat(drm.enter(new SrcuIdx())).isFalse();
    try (DrmSection s = drm.enterScoped()) {
      assertThat(s.entered()).isFalse();
    }
    assertThat(drm.guarded(() -> log.add("ran"))).isFalse();
    assertThat(log).isEmpty();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void unplugWaitsForSectionsInFlightOnOtherThreads() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    AtomicBoolean exited = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      SrcuIdx idx = new SrcuIdx();
      drm.enter(idx);
      entered.countDown();
      try {
        letGo.await();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exited.set(true);
      drm.exit(idx);
    });
    reader.start();
    entered.await();
    Thread unplugger = new Thread(drm::unplug);
    unplugger.start();
    unplugger.join(200);
    assertThat(unplugger.isAlive()).isTrue(); // synchronize_srcu is waiting
    assertThat(drm.isUnplugged()).isTrue();
    assertThat(drm.enter(new SrcuIdx())).isFalse(); // new readers fail at once
    letGo.countDown();
    unplugger.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(unplugger.isAlive()).isFalse();
    assertThat(exited.get()).isTrue();
    reader.join();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void concurrentSectionsDoNotBlockEachOther() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    Runnable r = () -> drm.guarded(() -> {
      both.countDown();
      try {
        assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread a = new Thread(r);
    Thread b = new Thread(r);
    a.start();
    b.start();
    a.join();
    b.join();
    assertThat(both.getCount()).isEqualTo(0);
  }

  @Test
  void wrongTokenAndExitWithoutEnterAreUnbalanced() {
    SrcuIdx never = new SrcuIdx();
    drm.exit(never);
    SrcuIdx idx = new SrcuIdx();
    drm.enter(idx);
    drm.exit(idx);
    drm.exit(idx);
    assertThat(Kernel.violations(ViolationKind.UNBALANCED_SECTION)).hasSize(2);
  }

  @Test
  void unplugInsideASectionIsReportedAndDoesNotDeadlock() {
    SrcuIdx idx = new SrcuIdx();
    drm.enter(idx);
    drm.unplug();
    drm.exit(idx);
    assertThat(Kernel.violations(ViolationKind.UNBALANCED_SECTION).get(0).message())
        .contains("inside a drm_dev_enter section");
  }

  @Test
  void scopedSectionClosedTwiceIsUnbalanced() {
    DrmSection s = drm.enterScoped();
    assertThat(s.entered()).isTrue();
    s.close();
    s.close();
    assertThat(Kernel.has(ViolationKind.UNBALANCED_SECTION)).isTrue();
  }

  @Test
  void releaseBarrierWaitsForReleasesInFlight() throws Exception {
    CountDownLatch inAction = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicBoolean actionDone = new AtomicBoolean();
    Drmm.addAction(drm, "slow", d -> {
      inAction.countDown();
      try {
        finish.await();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      actionDone.set(true);
    });
    Thread putter = new Thread(drm::put);
    putter.start();
    inAction.await();
    Thread waiter = new Thread(DrmDevice::releaseBarrier);
    waiter.start();
    waiter.join(200);
    assertThat(waiter.isAlive()).isTrue();
    finish.countDown();
    waiter.join(5000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(actionDone.get()).isTrue();
    putter.join();
  }

  @Test
  void gemTeardownWithLiveObjectsIsReported() {
    GemObject.create(drm, "leaked-bo", 4096);
    drm.put();
    assertThat(Kernel.violations(ViolationKind.GEM_TEARDOWN_LIVE).get(0).message()).contains("leaked-bo");
  }
}
