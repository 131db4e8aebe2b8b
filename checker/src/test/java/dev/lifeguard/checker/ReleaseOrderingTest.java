package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ReleaseOrderingTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(ReleaseOrdering.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      import dev.lifeguard.runtime.gem.*;
      """;

  @Test
  void releaseHookFreesContainerOrDrmManagedMemory() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class State {}
                class PanelDrm extends DrmDevice {
                  @DrmScoped State st;
                  GemObject scanout;
                }
                class Driver implements DrmDriver {
                  @Override public String name() { return "panel"; }
                  @Override public void release(DrmDevice drm) {
                    PanelDrm p = (PanelDrm) drm;
                    // BUG: Diagnostic contains: frees drm-managed `p.st` (field PanelDrm.st is declared @DrmScoped) in the release hook
                    Drmm.kfree(drm, p.st);
                    State local = Drmm.kzalloc(drm, State::new);
                    // BUG: Diagnostic contains: frees drm-managed `local` (Drmm.kzalloc)
                    Drmm.kfree(drm, local);
                    p.scanout.put();
                    // BUG: Diagnostic contains: frees the container `drm` in the release hook, but the release hook runs at the final drm put, after unbind
                    drm.put();
                  }
                }
                class Fixed implements DrmDriver {
                  @Override public String name() { return "fixed"; }
                  @Override public void release(DrmDevice drm) {
                    ((PanelDrm) drm).scanout.put();
                  }
                }
                """)
        .doTest();
  }

  @Test
  void putOfDevmOwnedContainer() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class PanelDrm extends DrmDevice {}
                class Driver implements BusDriver, DrmDriver {
                  PanelDrm drm;
                  @Override public String name() { return "d"; }
                  @Override public int probe(Device dev) {
                    PanelDrm local = Devm.drmDevAlloc(dev, this, d -> new PanelDrm());
                    if (dev == null) {
                      // BUG: Diagnostic contains: it comes from Devm.drmDevAlloc, whose reference belongs to devres (@OwnedBy(BINDING))
                      local.put();
                    }
                    drm = local;
                    drm = Devm.drmDevAlloc(dev, this, d -> new PanelDrm());
                    return 0;
                  }
                  @Override public void remove(Device dev) {
                    // BUG: Diagnostic contains: Devm.drmDevAlloc (stored in field `drm`)
                    drm.put();
                  }
                }
                class Plain implements BusDriver {
                  DrmDevice drm;
                  @Override public int probe(Device dev) { drm = new DrmDevice(); return 0; }
                  @Override public void remove(Device dev) { drm.put(); }
                }
                """)
        .doTest();
  }

  @Test
  void removeFreesStateTheDrmDeviceStillReaches() {
    // Study case D1: remove frees driver-private state while dma-bufs still hold the drm device.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Priv {}
                class I915 extends DrmDevice { Priv priv; GemObject fb; }
                class Mem { static void kfree(@Frees Object o) {} }
                class Driver implements BusDriver, DrmDriver {
                  I915 drm;
                  @Override public String name() { return "i915"; }
                  @Override public int probe(Device dev) { return 0; }
                  @Override public void remove(Device dev) {
                    // BUG: Diagnostic contains: frees `drm.priv`, which the drm device `drm` still reaches, but `remove` implements BusDriver.remove, which is bound context and runs at unbind
                    Mem.kfree(drm.priv);
                    drm.put();
                  }
                  @Override public void release(DrmDevice d) {
                    Mem.kfree(((I915) d).priv);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void explicitCleanupOfDrmManagedModeConfig() {
    // Study case D5: drm_mode_config_cleanup after drmm_mode_config_init.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Driver implements BusDriver, DrmDriver {
                  DrmDevice drm;
                  @Override public String name() { return "bochs"; }
                  @Override public int probe(Device dev) { return Drmm.modeConfigInit(drm); }
                  @Override public void remove(Device dev) {}
                  @Override public void release(DrmDevice d) {
                    // BUG: Diagnostic contains: `DrmModeConfig.cleanup(d)` cleans up "mode-config" explicitly, but `Drmm.modeConfigInit(drm)` already registered its cleanup
                    DrmModeConfig.cleanup(d);
                  }
                }
                class Unmanaged implements BusDriver {
                  DrmDevice drm;
                  @Override public int probe(Device dev) { return DrmModeConfig.init(drm); }
                  @Override public void remove(Device dev) { DrmModeConfig.cleanup(drm); }
                }
                """)
        .doTest();
  }

  @Test
  void destroyHookOnDrmManagedPlane() {
    // Study case D4: virtio set .destroy = drm_plane_cleanup on a drmm_universal_plane_alloc plane.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Funcs implements DrmPlaneFuncs {
                  @Override public void atomicUpdate(DrmDevice drm) {}
                  @Override public void destroy(DrmPlane p) { p.cleanup(); }
                }
                class Quiet implements DrmPlaneFuncs {
                  @Override public void atomicUpdate(DrmDevice drm) {}
                }
                class Kms {
                  static final DrmPlaneFuncs FUNCS = new DrmPlaneFuncs() {
                    @Override public void atomicUpdate(DrmDevice drm) {}
                    @Override public void destroy(DrmPlane p) { p.cleanup(); }
                  };
                  void init(DrmDevice drm) {
                    // BUG: Diagnostic contains: `FUNCS` (
                    Drmm.universalPlaneAlloc(drm, "primary", FUNCS);
                    // BUG: Diagnostic contains: overrides the destroy hook DrmPlaneFuncs.destroy, but `Drmm.universalPlaneAlloc` registers the plane's cleanup
                    Drmm.universalPlaneAlloc(drm, "overlay", new Funcs());
                    Drmm.universalPlaneAlloc(drm, "cursor", new Quiet());
                    Drmm.universalPlaneAlloc(drm, "lambda-free", new DrmPlaneFuncs() {
                      @Override public void atomicUpdate(DrmDevice d) {}
                    });
                  }
                }
                """)
        .doTest();
  }

  @Test
  void doublePutOnOnePath() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Ioctls {
                  GemObject lookup(long h) { return new GemObject(); }
                  int close(DrmFile file, long h, boolean busy) {
                    GemObject bo = lookup(h);
                    if (busy) {
                      bo.put();
                    }
                    // BUG: Diagnostic contains: puts or frees `bo` again: `bo.put()` already dropped this reference
                    bo.put();
                    return 0;
                  }
                  int once(long h, boolean busy) {
                    GemObject bo = lookup(h);
                    if (busy) {
                      bo.put();
                      return -16;
                    }
                    bo.put();
                    for (int i = 0; i < 3; i++) {
                      GemObject o = lookup(i);
                      o.put();
                    }
                    return 0;
                  }
                  void lambda(Workqueue wq, long h) {
                    wq.queueWork(() -> {
                      GemObject bo = lookup(h);
                      bo.put();
                      // BUG: Diagnostic contains: again
                      bo.put();
                    });
                  }
                }
                """)
        .doTest();
  }

  @Test
  void doublePutOnExceptionPaths() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Ioctls {
                  GemObject lookup(long h) { return new GemObject(); }
                  void pin(GemObject bo) throws Exception {}
                  int finallyAgain(long h) {
                    GemObject bo = lookup(h);
                    try {
                      bo.put();
                    } finally {
                      // BUG: Diagnostic contains: puts or frees `bo` again
                      bo.put();
                    }
                    return 0;
                  }
                  int putOnEachWayOut(long h) {
                    GemObject bo = lookup(h);
                    try {
                      pin(bo);
                    } catch (Exception e) {
                      bo.put();
                      return -5;
                    }
                    bo.put();
                    return 0;
                  }
                  int pinThrowsAfterPut(long h) {
                    GemObject bo = lookup(h);
                    try {
                      bo.put();
                      pin(bo);
                    } catch (Exception e) {
                      // BUG: Diagnostic contains: already dropped this reference on a path to here
                      bo.put();
                      return -5;
                    }
                    return 0;
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
                class Driver implements DrmDriver {
                  @Override public String name() { return "d"; }
                  @SuppressWarnings("ReleaseOrdering")
                  @Override public void release(DrmDevice drm) { drm.put(); }
                }
                """)
        .doTest();
  }

  @Test
  void doublePutThroughAFinallyAfterAnEarlyReturn() {
    // Regression test: the finally body is copied per way out; the copy after the early put is the double put.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T implements DrmIoctl {
                  @Override public int handle(DrmFile f, long a) {
                    DrmDevice o = f.drm().get();
                    try {
                      if (a == 0) {
                        o.put();
                        return 0;
                      }
                    } finally {
                      // BUG: Diagnostic contains: `o.put()` puts or frees `o` again
                      o.put();
                    }
                    return 1;
                  }
                }
                """)
        .doTest();
  }
}
