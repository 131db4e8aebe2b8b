package dev.lifeguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class WrongWayLifetimeTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(WrongWayLifetime.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      """;

  @Test
  void hardwareTeardownRegisteredAsDrmmAction() {
    // Study case C1: xe unpins a managed BO (GGTT writes) from a drmm action.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Xe extends DrmDevice { MmioRegion ggtt; }
                class Driver implements BusDriver {
                  Xe xe;
                  @Override public int probe(Device dev) {
                    MmioRegion ggtt = Devm.ioremap(dev, "ggtt", 4096);
                    // BUG: Diagnostic contains: `ggtt` is binding-scoped (Devm.ioremap: released at unbind) but the lambda in `probe` is a drm-managed action
                    Drmm.addActionOrReset(xe, d -> ggtt.writel(0x10, 0));
                    Drmm.addActionOrReset(xe, d -> {
                      SrcuIdx idx = new SrcuIdx();
                      if (d.enter(idx)) {
                        try {
                          // BUG: Diagnostic contains: a section does not help
                          ggtt.writel(0x10, 0);
                        } finally {
                          d.exit(idx);
                        }
                      }
                    });
                    // The counterpart, on the bus device: runs at unbind, while the device is bound.
                    Devm.addActionOrReset(dev, () -> ggtt.writel(0x10, 0));
                    Drmm.addActionOrReset(xe, d -> System.out.println("no hardware"));
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
                }
                """)
        .doTest();
  }

  @Test
  void methodReferenceAndNamedClass() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Xe extends DrmDevice {
                  @BindingScoped Object hw;
                  MmioRegion ggtt;
                  void unpin(DrmDevice d) {
                    // BUG: Diagnostic contains: `unpin`, used as a method reference, is a DrmmAction
                    ggtt.writel(0, 0);
                  }
                  void register() {
                    Drmm.addActionOrReset(this, this::unpin);
                    Drmm.addActionOrReset(this, new Fini(ggtt));
                  }
                }
                class Fini implements DrmmAction {
                  private final MmioRegion regs;
                  Fini(MmioRegion regs) { this.regs = regs; }
                  @Override public void release(DrmDevice d) {
                    // BUG: Diagnostic contains: `release` implements DrmmAction.release
                    regs.readl(0);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void hardwareAccessInReleaseHook() {
    // Study case C2: bochs shut the hardware down from the release hook.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Bochs extends DrmDevice { MmioRegion mmio; }
                class Driver implements DrmDriver, BusDriver {
                  @Override public String name() { return "bochs"; }
                  @Override public void release(DrmDevice drm) {
                    Bochs b = (Bochs) drm;
                    // BUG: Diagnostic contains: The release hook must not touch hardware: do this in remove()
                    b.mmio.writel(0x4, 0);
                  }
                  @Override public int probe(Device dev) { return 0; }
                  @Override public void remove(Device dev) {
                    // remove() runs while bound: the right place for the shutdown.
                    Bochs b = null;
                    b.mmio.writel(0x4, 0);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void drmStateCleanedUpByDevres() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Driver implements BusDriver {
                  DrmDevice drm;
                  @Override public int probe(Device dev) {
                    DrmModeConfig.init(drm);
                    // BUG: Diagnostic contains: cleans up the drm-lifetime resource "mode-config" in the lambda is a DevresAction
                    Devm.addActionOrReset(dev, () -> DrmModeConfig.cleanup(drm));
                    Drmm.addActionOrReset(drm, d -> DrmModeConfig.cleanup(d));
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
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
                class Bochs extends DrmDevice { MmioRegion mmio; }
                class Driver implements DrmDriver {
                  @Override public String name() { return "bochs"; }
                  @SuppressWarnings("WrongWayLifetime")
                  @Override public void release(DrmDevice drm) { ((Bochs) drm).mmio.writel(0x4, 0); }
                }
                """)
        .doTest();
  }

  @Test
  void fixSwitchesDrmmRegistrationToDevres() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(WrongWayLifetime.class, getClass()))
        .addInputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              MmioRegion ggtt;
              void init(DrmDevice xe) {
                Drmm.addActionOrReset(xe, d -> ggtt.writel(0x10, d.hashCode()));
              }
              int probe(Device dev, DrmDevice xe) {
                return Drmm.addActionOrReset(xe, (DrmDevice d) -> ggtt.writel(0x10, 0));
              }
            }
            """)
        .addOutputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              MmioRegion ggtt;
              void init(DrmDevice xe) {
                Devm.addActionOrReset(xe.parent(), () -> ggtt.writel(0x10, xe.hashCode()));
              }
              int probe(Device dev, DrmDevice xe) {
                return Devm.addActionOrReset(dev, () -> ggtt.writel(0x10, 0));
              }
            }
            """)
        .doTest();
  }

  @Test
  void hardwareProgrammingCallInDrmTeardown() {
    // Study case C2 as the kernel had it: drm_atomic_helper_shutdown called from the release hook.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                final class Kms {
                  @TouchesHardware static void shutdown(DrmDevice drm) {}
                }
                class Driver implements DrmDriver, BusDriver {
                  DrmDevice drm;
                  @Override public String name() { return "bochs"; }
                  @Override public void release(DrmDevice d) {
                    // BUG: Diagnostic contains: `Kms.shutdown(d)` programs the hardware through the driver's paths, but
                    Kms.shutdown(d);
                  }
                  @Override public int probe(Device dev) {
                    // BUG: Diagnostic contains: a drm-managed action
                    Drmm.addAction(drm, x -> Kms.shutdown(x));
                    Devm.addAction(dev, () -> Kms.shutdown(drm));
                    return 0;
                  }
                  @Override public void remove(Device dev) {
                    Kms.shutdown(drm);
                  }
                }
                """)
        .doTest();
  }
}
