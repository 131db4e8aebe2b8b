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
}
