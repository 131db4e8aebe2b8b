package dev.lifeguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class DrmObjectInDevresTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(DrmObjectInDevres.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      """;

  @Test
  void devmStructEmbeddingKmsObjects() {
    // Study cases A1 (vc4 dsi) and A3 (imx crtc).
    helper
        .addSourceLines(
            "VcDsi.java",
            HEADER
                + """
                class VcDsi {
                  DrmEncoder encoder = new DrmEncoder();
                  int lanes;
                }
                class Crtc extends DrmEncoder {}
                class Plain { int x; DrmDevice backPointer; }
                class Probe implements BusDriver {
                  DrmDevice drm;
                  @Override public int probe(Device dev) {
                    // BUG: Diagnostic contains: `Devm.kzalloc(dev, VcDsi::new)` allocates VcDsi in binding-scoped memory (Devm.kzalloc: freed at unbind), but its field `encoder` holds a DrmEncoder, which lives until the final drm put
                    VcDsi dsi = Devm.kzalloc(dev, VcDsi::new);
                    // BUG: Diagnostic contains: Crtc is a drm-lifetime type
                    Crtc crtc = Devm.kzalloc(dev, Crtc::new);
                    Plain ok = Devm.kzalloc(dev, Plain::new);
                    VcDsi good = Drmm.kzalloc(drm, VcDsi::new);
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
                }
                """)
        .doTest();
  }

  @Test
  void storesIntoAndOutOfBindingMemory() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Priv { DrmEncoder enc; DrmDevice drm; Object any; }
                class PanelDrm extends DrmDevice {
                  Object state;
                  @BindingScoped Object declared;
                  MmioRegion regs;
                }
                class Probe implements BusDriver {
                  PanelDrm drm;
                  @Override public int probe(Device dev) {
                    // BUG: Diagnostic contains: its field `enc` holds a DrmEncoder
                    Priv p = Devm.kzalloc(dev, Priv::new);
                    // BUG: Diagnostic contains: `new DrmEncoder()` is a drm-lifetime object (DrmEncoder is a drm-lifetime type) stored into binding-scoped memory (Devm.kzalloc: freed at unbind)
                    p.enc = new DrmEncoder();
                    p.drm = drm;
                    // BUG: Diagnostic contains: is stored in field `PanelDrm.state`, which does not declare @BindingScoped, and PanelDrm is reachable from userspace
                    drm.state = p;
                    drm.declared = p;
                    drm.regs = Devm.ioremap(dev, "regs", 16);
                    @SuppressWarnings("DrmObjectInDevres")
                    Object unused = (drm.state = Devm.kzalloc(dev, Object::new));
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
                }
                """)
        .doTest();
  }

  @Test
  void callsAreJudgedWhereverTheyAre() {
    // The rules on single calls read each class's calls from the file scan: field initialisers, initialiser
    // blocks, nested, local and anonymous classes are all someone's class; a suppressed class hides its own only.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class S { DrmEncoder e; }
                class T {
                  static Device dev;
                  // BUG: Diagnostic contains: allocates S in binding-scoped memory
                  S field = Devm.kzalloc(dev, S::new);
                  S fine = Drmm.kzalloc(null, S::new);
                  {
                    // BUG: Diagnostic contains: allocates S in binding-scoped memory
                    S init = Devm.kzalloc(dev, S::new);
                  }
                  static class Nested {
                    // BUG: Diagnostic contains: allocates S in binding-scoped memory
                    Runnable r = () -> Devm.kzalloc(dev, S::new);
                    @SuppressWarnings("DrmObjectInDevres")
                    class Quiet {
                      S q = Devm.kzalloc(dev, S::new);
                    }
                  }
                  void m() {
                    class Local {
                      // BUG: Diagnostic contains: allocates S in binding-scoped memory
                      S l = Devm.kzalloc(dev, S::new);
                    }
                    Object anon = new Object() {
                      // BUG: Diagnostic contains: allocates S in binding-scoped memory
                      S a = Devm.kzalloc(dev, S::new);
                    };
                  }
                }
                """)
        .doTest();
  }

  @Test
  void suppressionOnMethod() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class S { DrmEncoder e; }
                class T {
                  @SuppressWarnings("DrmObjectInDevres")
                  S alloc(Device dev) { return Devm.kzalloc(dev, S::new); }
                }
                """)
        .doTest();
  }

  @Test
  void fixSwitchesToCounterpart() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(DrmObjectInDevres.class, getClass()))
        .addInputLines("VcDsi.java", "class VcDsi { dev.lifeguard.runtime.drm.DrmEncoder encoder; }")
        .expectUnchanged()
        .addInputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              VcDsi bind(Device dev, DrmDevice drm) {
                return Devm.kzalloc(dev, VcDsi::new);
              }
            }
            """)
        .addOutputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              VcDsi bind(Device dev, DrmDevice drm) {
                return Drmm.kzalloc(drm, VcDsi::new);
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWithoutDrmDevice() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(DrmObjectInDevres.class, getClass()))
        .addInputLines("VcDsi.java", "class VcDsi { dev.lifeguard.runtime.drm.DrmEncoder encoder; }")
        .expectUnchanged()
        .addInputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              VcDsi probe(Device dev) {
                return Devm.kzalloc(dev, VcDsi::new);
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void devresOnAnotherDeviceThanTheOneBeingBound() {
    // Study case A6 (msm dp): devm on the component device from the aggregate's bind.
    helper
        .addSourceLines(
            "Msm.java",
            HEADER
                + """
                class MsmDrm extends DrmDevice { void hotplug() {} }
                class Msm implements BusDriver {
                  Device dp;
                  MsmDrm drm;
                  @Override public int probe(Device dev) {
                    MsmDrm msm = drm;
                    // BUG: Diagnostic contains: `Devm.addAction` registers on the devres of `dp` a resource that uses drm-lifetime `msm`, but `probe` binds `dev`
                    Devm.addAction(dp, () -> msm.hotplug());
                    Devm.addAction(dev, () -> msm.hotplug());
                    Devm.addAction(dp, () -> {});
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
                  void notBound(Device dev) {
                    MsmDrm msm = drm;
                    Devm.addAction(dp, () -> msm.hotplug());
                  }
                }
                """)
        .doTest();
  }

  @Test
  void fixMovesDevresToTheBoundDevice() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(DrmObjectInDevres.class, getClass()))
        .addInputLines(
            "Msm.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class Msm implements BusDriver {
              Device dp;
              DrmDevice drm;
              @Override public int probe(Device dev) {
                DrmDevice d = drm;
                Devm.addAction(dp, () -> d.put());
                return 0;
              }
              @Override public void remove(Device dev) {}
            }
            """)
        .addOutputLines(
            "Msm.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class Msm implements BusDriver {
              Device dp;
              DrmDevice drm;
              @Override public int probe(Device dev) {
                DrmDevice d = drm;
                Devm.addAction(dev, () -> d.put());
                return 0;
              }
              @Override public void remove(Device dev) {}
            }
            """)
        .doTest();
  }

  @Test
  void malformedCounterpartIsNamed() {
    helper
        .addSourceLines(
            "Alloc.java",
            HEADER
                + """
                import java.util.function.Supplier;
                final class Alloc {
                  @Counterpart("dev.lifeguard.runtime.drm.Drmm#kzalloc")
                  static <T> T good(Device dev, Supplier<T> ctor) { return ctor.get(); }
                  // BUG: Diagnostic contains: @Counterpart("Drmm.kzalloc") on `noHash` is not "<binary class name>#<method>"
                  @Counterpart("Drmm.kzalloc") static void noHash(Device dev) {}
                  // BUG: Diagnostic contains: names a class that is not on the class path
                  @Counterpart("org.nowhere.Mm#kzalloc") static void noClass(Device dev) {}
                  // BUG: Diagnostic contains: names no method `kzallocc` with 2 parameter(s) in Drmm
                  @Counterpart("dev.lifeguard.runtime.drm.Drmm#kzallocc") static void typo(Device dev, Object o) {}
                }
                """)
        .doTest();
  }

  @Test
  void aMalformedCounterpartAtTheCallSiteGivesTheFindingWithoutAFixAndNoCrash() {
    // Regression test: the fix used to pass the unresolvable name to qualifyType and crash javac.
    helper
        .addSourceLines(
            "Lib.java",
            HEADER
                + """
                import java.util.function.Supplier;
                final class Lib {
                  @SuppressWarnings("DrmObjectInDevres")
                  @BindingScoped @Counterpart("dev.lifeguard.runtime.drm.#kzalloc")
                  static <T> T alloc(Device dev, Supplier<T> s) { return s.get(); }
                }
                class Kms { DrmEncoder enc; }
                class P {
                  Kms probe(Device dev, DrmDevice drm) {
                    // BUG: Diagnostic contains: allocates Kms in binding-scoped memory
                    return Lib.alloc(dev, Kms::new);
                  }
                }
                """)
        .doTest();
  }
}
