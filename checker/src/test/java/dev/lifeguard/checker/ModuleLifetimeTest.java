package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ModuleLifetimeTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(ModuleLifetime.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      import dev.lifeguard.runtime.module.*;
      """;

  @Test
  void componentHoldsForeignDrmDeviceWithoutItsModule() {
    // Study case F1: drm_pagemap held the provider's drm device but not its module.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Pagemap {
                  private DrmDevice provider;
                  Pagemap(DrmDevice drm) {
                    // BUG: Diagnostic contains: `this.provider` holds a counted reference to a drm device (`drm.get()`), which keeps the device alive but not the module that made it
                    this.provider = drm.get();
                  }
                  void release() { provider.put(); }
                }
                class PinnedPagemap {
                  private DrmDevice provider;
                  private KernelModule owner;
                  PinnedPagemap(DrmDevice drm) {
                    owner = drm.driver().owner();
                    if (!owner.tryGet()) {
                      throw new IllegalStateException("going away");
                    }
                    provider = drm.get();
                  }
                  void release() { provider.put(); owner.put(); }
                }
                class PagemapFactory {
                  // The pagemap module of the sample GPU driver: the reference is taken here, held elsewhere.
                  Borrower create(DrmDevice drm) {
                    // BUG: Diagnostic contains: PagemapFactory takes a counted reference to a drm device (`drm.get()`)
                    drm.get();
                    return new Borrower(drm);
                  }
                }
                class PinnedFactory {
                  Borrower create(DrmDevice drm) {
                    if (!drm.driver().owner().tryGet()) {
                      return null;
                    }
                    drm.get();
                    return new Borrower(drm);
                  }
                }
                class Peek {
                  // A reference taken and dropped in the same method is not held: no finding.
                  boolean driverOf(DrmDevice drm) {
                    DrmDevice d = drm.get();
                    try { return d.driver() != null; } finally { d.put(); }
                  }
                }
                class Borrower {
                  private DrmDevice drm;
                  Borrower(DrmDevice drm) { this.drm = drm; }  // no counted reference taken: not a holder
                }
                abstract class OwnDriver implements DrmDriver {
                  DrmDevice drm;
                  void keep(DrmDevice d) { drm = d.get(); }    // the driver's own device
                }
                """)
        .doTest();
  }

  @Test
  void moduleExitMustWaitForDevicesAndBarrier() {
    // Seed 002: module exit must wait for the device count and call drm_dev_release_barrier().
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                abstract class Drv implements BusDriver, DrmDriver {}
                class Module {
                  Bus bus; Drv drv; DeviceCount count;
                  KernelModule load() {
                    // BUG: Diagnostic contains: neither waits for the drivers' device count to reach zero (@AwaitsDevices) nor calls the release barrier
                    return KernelModule.load("m", () -> 0, () -> bus.unregisterDriver(drv));
                  }
                  KernelModule loadFixed() {
                    return KernelModule.load("m", () -> 0, this::exit);
                  }
                  KernelModule loadHalf() {
                    return KernelModule.load("m", () -> 0, this::exitHalf);
                  }
                  private void exit() {
                    teardown();
                    count.awaitZero();
                    DrmDevice.releaseBarrier();
                  }
                  private void teardown() { bus.unregisterDriver(drv); }
                  // BUG: Diagnostic contains: waits for the device count but never calls the release barrier
                  private void exitHalf() {
                    bus.unregisterDriver(drv);
                    count.awaitZero();
                  }
                }
                class Helper {
                  Runnable pending;
                  KernelModule load() {
                    // A helper module with no drm driver of its own: nothing to wait for.
                    return KernelModule.load("helper", null, () -> pending.run());
                  }
                }
                class NamedExit implements ModuleExit {
                  Bus bus; Drv drv;
                  // BUG: Diagnostic contains: `exit` implements ModuleExit.exit
                  @Override public void exit() { bus.unregisterDriver(drv); }
                }
                // A module exit through a sub-interface, with its teardown in a helper of a nested class.
                interface QuietExit extends ModuleExit {}
                class ExitViaHelper {
                  Bus bus; Drv drv; DeviceCount count;
                  // BUG: Diagnostic contains: the lambda is a QuietExit
                  QuietExit bad = () -> Steps.stop(bus, drv);
                  QuietExit good = () -> Steps.stopAndWait(bus, drv, count);
                  static class Steps {
                    static void stop(Bus b, Drv d) { b.unregisterDriver(d); }
                    static void stopAndWait(Bus b, Drv d, DeviceCount c) {
                      b.unregisterDriver(d);
                      c.awaitZero();
                      DrmDevice.releaseBarrier();
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void suppression() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                abstract class Drv implements BusDriver, DrmDriver {}
                class Pagemap {
                  private DrmDevice provider;
                  @SuppressWarnings("ModuleLifetime")
                  Pagemap(DrmDevice drm) { this.provider = drm.get(); }
                }
                class NamedExit implements ModuleExit {
                  Bus bus; Drv drv;
                  @SuppressWarnings("ModuleLifetime")
                  @Override public void exit() { bus.unregisterDriver(drv); }
                }
                """)
        .doTest();
  }
}
