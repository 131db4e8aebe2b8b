package dev.lifeguard.checker.analysis;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.errorprone.CompilationTestHelper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.lifeguard.checker.TestApiAccess;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

final class LifetimeAnalysisTest {
  private final CompilationTestHelper helper =
      TestApiAccess.add(CompilationTestHelper.newInstance(DebugChecker.class, getClass()));

  @Test
  void explicitGuard() {
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            final class Panel extends DrmDevice implements DrmIoctl {
              MmioRegion regs;
              @Override
              // BUG: Diagnostic contains: (use regs.writel(16, 1) NONE
              public int handle(DrmFile file, long arg) {
                regs.writel(0x10, 1);
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) {
                  return regs.readl(0);
                }
                try {
                  regs.writel(0x14, 2);
                  return 0;
                } finally {
                  exit(idx);
                }
              }
            }
            """)
        .doTest();
  }

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      """;

  @Test
  void storedBooleanSplitsAgainWhenRead() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  // BUG: Diagnostic contains: (use regs.writel(0, 1) HELD (binding MmioRegion is a binding-scoped type)) (exit idx held)
                  void m(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    boolean ok = drm.enter(idx);
                    if (ok) {
                      regs.writel(0, 1);
                    }
                    if (ok) {
                      drm.exit(idx);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void lambdaModes() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  // BUG: Diagnostic contains: (body the lambda in `m` RUNS_LATER (context UNKNOWN "")) (body the lambda in `m` IN_SECTION (context UNKNOWN "")) (body the lambda in `m` RUNS_NOW
                  void m(DrmDevice drm, Workqueue wq, MmioRegion regs) {
                    wq.queueWork(() -> regs.writel(0, 1));
                    drm.guarded(() -> regs.writel(0, 2));
                    java.util.List.of(1).forEach(x -> regs.writel(0, 3));
                  }
                }
                """)
        .doTest();
  }

  @Test
  void inSectionLambdaHoldsASection() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  // BUG: Diagnostic contains: (use regs.writel(0, 1) NONE (binding MmioRegion is a binding-scoped type)) (use regs.writel(0, 2) HELD
                  void m(DrmDevice drm, Workqueue wq, MmioRegion regs) {
                    wq.queueWork(() -> regs.writel(0, 1));
                    drm.guarded(() -> regs.writel(0, 2));
                  }
                }
                """)
        .doTest();
  }

  @Test
  void cfgHandlesSwitchYieldAndTryWithResources() {
    // Exercises the dataflow library's CFG builder (not a public API; pinned with Error Prone): a switch
    // expression with yield and the close() synthesised for try-with-resources.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  // BUG: Diagnostic contains: (use regs.readl(0) HELD (binding MmioRegion is a binding-scoped type)) (use regs.readl(1) NONE
                  int m(DrmDevice drm, MmioRegion regs, int op) {
                    try (DrmSection s = drm.enterScoped()) {
                      if (!s.entered()) return -19;
                      int r = switch (op) {
                        case 0 -> { yield regs.readl(0); }
                        default -> 1;
                      };
                    }
                    return regs.readl(1);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void finallyCopiesAreMergedPerTree() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void io() throws java.io.IOException {}
                  // BUG: Diagnostic contains: (exit idx held)
                  void m(DrmDevice drm) throws java.io.IOException {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    try {
                      io();
                    } finally {
                      drm.exit(idx);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void thePreFilterAnalysesExactlyTheBodiesThatCanMakeAnEvent() {
    TestApiAccess.add(CompilationTestHelper.newInstance(EngineChecker.class, getClass()))
        .addSourceLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            import java.util.function.Consumer;
            class T {
              // BUG: Diagnostic contains: engine walk
              Consumer<MmioRegion> field = r -> r.writel(0, 1);
              java.util.function.IntUnaryOperator plainField = x -> x + 1;

              int plain(int x) { return x + 1; }

              // A drm device in the signature alone makes no event: not analysed.
              int onlyMentions(DrmDevice drm) { return drm.hashCode(); }

              // BUG: Diagnostic contains: engine walk
              void direct(MmioRegion regs) { regs.writel(0, 1); }

              // The only mention is in a nested lambda: the method is analysed, with its lambda.
              // BUG: Diagnostic contains: engine walk
              void viaLambda(MmioRegion regs) {
                Runnable r = () -> regs.writel(0, 1);
                r.run();
              }

              // BUG: Diagnostic contains: engine walk
              Object viaLocalClass() {
                class Local {
                  // BUG: Diagnostic contains: engine walk
                  void m(Object o) { ((MmioRegion) o).writel(0, 1); }

                  void quiet(int x) {}
                }
                return new Local();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFileScanThatFailsCostsNoFinding() {
    // The scan gives up at once: every file counts as in scope, each body is pre-filtered on its own, and the
    // method references that give helpers a context are collected again.
    withFault(() -> LifetimeAnalysis.fileScanFault = failing(), () -> {
      // The file's classes (which DmaBufChain's loops are about) are collected again too.
      with(dev.lifeguard.checker.DmaBufChain.class)
          .addSourceLines(
              "Loop.java",
              """
              import dev.lifeguard.annotations.*;
              class Fence {
                // BUG: Diagnostic contains: `job` closes a loop of counted references (Fence -> Job -> Fence)
                @Counted Job job;
              }
              class Job {
                @Counted Fence done;
              }
              class Cache {
                @Counted Entry head;
              }
              class Entry {
                @Weak Cache owner;
              }
              """)
          .doTest();
      with(dev.lifeguard.checker.UnguardedDevresAccess.class)
          .addSourceLines(
              "T.java",
              HEADER
                  + """
                  import java.util.Map;
                  class T implements DrmIoctl {
                    MmioRegion regs;
                    Map<String, DrmIoctl> ioctls() { return Map.of("flush", this::flush); }
                    int flush(DrmFile file, long arg) {
                      // BUG: Diagnostic contains: `flush`, used as a method reference, is a DrmIoctl
                      regs.writel(0, 1);
                      return 0;
                    }
                    // BUG: Diagnostic contains: `regs` is binding-scoped
                    @Override public int handle(DrmFile f, long a) { return regs.readl(0); }
                    int plain(int x) { return x + 1; }
                  }
                  class U implements DrmIoctl {
                    DrmDevice drm;
                    MmioRegion regs;
                    @Override public int handle(DrmFile f, long a) {
                      SrcuIdx idx = new SrcuIdx();
                      if (!drm.enter(idx)) return -19;
                      try { return regs.readl(0); } finally { drm.exit(idx); }
                    }
                  }
                  """)
          .doTest();
    });
  }

  @Test
  void eachCallIsJudgedOnceWithOrWithoutTheFileScan() {
    // The rules on single calls read each class's own calls: none may be judged twice (by an enclosing class too)
    // or missed, whether the file scan collected them or, after it failed, each class's own scan did (this is the
    // test of that fallback).
    JavaFileObject driver = JavaFileObjects.forSourceString("Calls", HEADER + """
        class S { DrmEncoder e; }
        class Calls {
          static Device dev;
          S field = Devm.kzalloc(dev, S::new);
          static class Nested {
            S inner = Devm.kzalloc(dev, S::new);
            void ignored(DrmDevice drm) { drm.enter(new SrcuIdx()); }
          }
          void m(DrmDevice drm) {
            drm.enter(new SrcuIdx());
            Object anon = new Object() {
              S a = Devm.kzalloc(dev, S::new);
              void twice() { drm.enter(new SrcuIdx()); }
            };
          }
        }
        """);
    String checks = "-Xep:DrmObjectInDevres:ERROR -Xep:SectionDiscipline:ERROR";
    Compilation scanned = TestApiAccess.compileWithPlugin(checks, driver);
    assertThat(scanned).hadErrorCount(9); // three allocations, three ignored enters, and their three leaks
    assertThat(scanned).hadErrorContaining("allocates S in binding-scoped memory").inFile(driver).onLine(9);
    assertThat(scanned).hadErrorContaining("is ignored").inFile(driver).onLine(10);
    withFault(() -> LifetimeAnalysis.fileScanFault = failing(),
        () -> assertThat(TestApiAccess.compileWithPlugin(checks, driver)).hadErrorCount(9));
  }

  @Test
  void failuresInsideTheAnalysisAreContained() {
    withFault(() -> LifetimeAnalysis.faultInjector = failing(),
        () -> with(dev.lifeguard.checker.UnguardedDevresAccess.class)
          .addSourceLines(
              "T.java",
              HEADER
                  + """
                  class T implements DrmIoctl {
                    MmioRegion regs;
                    // No finding, and no crash: the analysis of this method failed.
                    @Override public int handle(DrmFile f, long a) { return regs.readl(0); }
                  }
                  """)
          .doTest());
  }

  @Test
  void aBodyTheAnalysisGivesUpOnGetsANoteNotAnError() {
    withFault(() -> LifetimeAnalysis.faultInjector = t -> {
      if (t instanceof com.sun.source.tree.MethodTree m && m.getName().contentEquals("handle")) {
        throw new IllegalStateException("injected");
      }
    }, () -> with(dev.lifeguard.checker.SectionDiscipline.class)
          .addSourceLines(
              "T.java",
              HEADER
                  + """
                  class T implements DrmIoctl {
                    MmioRegion regs;
                    // BUG: Diagnostic contains: Lifeguard could not analyse this body (IllegalStateException: injected)
                    @Override public int handle(DrmFile f, long a) { return regs.readl(0); }
                  }
                  """)
          .expectResult(com.sun.tools.javac.main.Main.Result.OK)
          .doTest());
  }

  private CompilationTestHelper with(Class<? extends com.google.errorprone.bugpatterns.BugChecker> check) {
    return TestApiAccess.add(CompilationTestHelper.newInstance(check, getClass()));
  }

  private static <T> java.util.function.Consumer<T> failing() {
    return t -> {
      throw new IllegalStateException("injected");
    };
  }

  /** Runs {@code test} with the fault hook {@code set} installs, and clears every hook afterwards. */
  private static void withFault(Runnable set, Runnable test) {
    set.run();
    try {
      test.run();
    } finally {
      LifetimeAnalysis.faultInjector = null;
      LifetimeAnalysis.fileScanFault = null;
    }
  }

  @Test
  void oddCodeDoesNotCrashAnyCheck() {
    for (Class<? extends com.google.errorprone.bugpatterns.BugChecker> check :
        java.util.List.of(
            dev.lifeguard.checker.UnguardedDevresAccess.class,
            dev.lifeguard.checker.SectionDiscipline.class,
            dev.lifeguard.checker.DrmObjectInDevres.class,
            dev.lifeguard.checker.ReleaseOrdering.class)) {
      with(check)
          .addSourceLines(
              "Odd.java",
              HEADER
                  + """
                  import java.util.*;
                  import java.util.function.*;
                  record Pair<A, B>(A a, B b) {}
                  sealed interface Op permits Read, Write {}
                  record Read(int off) implements Op {}
                  record Write(int off, int v) implements Op {}
                  class Odd<T extends DrmDevice> {
                    static MmioRegion shared;
                    static { Runnable r = () -> System.out.println(shared); }
                    { Supplier<SrcuIdx> s = SrcuIdx::new; }
                    final Function<T, Integer> f = d -> d.get().hashCode();
                    int run(T drm, Op op, MmioRegion regs) {
                      SrcuIdx idx = new SrcuIdx();
                      if (!drm.enter(idx)) return -19;
                      try {
                        return switch (op) {
                          case Read r when r.off() < 0 -> -22;
                          case Read r -> regs.readl(r.off());
                          case Write(int off, int v) -> { regs.writel(off, v); yield 0; }
                        };
                      } finally {
                        drm.exit(idx);
                      }
                    }
                    Object anon(T drm) {
                      return new Object() {
                        @Override public String toString() {
                          SrcuIdx i = new SrcuIdx();
                          if (drm.enter(i)) { drm.exit(i); }
                          return "";
                        }
                      };
                    }
                    <R> R generic(Supplier<R> s) { synchronized (this) { return s.get(); } }
                    int ternary(T drm, boolean b) { SrcuIdx i = new SrcuIdx(); return (b ? drm : drm).hashCode(); }
                  }
                  """)
          .doTest();
    }
  }
}
