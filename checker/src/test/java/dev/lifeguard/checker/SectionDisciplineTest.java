package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class SectionDisciplineTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(SectionDiscipline.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      import java.io.IOException;
      """;

  @Test
  void earlyReturnInsideSectionLeaks() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  int ioctl(DrmDevice drm, boolean busy) {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: is still held when `ioctl` returns on some path
                    if (!drm.enter(idx)) {
                      return -19;
                    }
                    if (busy) {
                      return -16;
                    }
                    drm.exit(idx);
                    return 0;
                  }

                  int fixed(DrmDevice drm, boolean busy) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) {
                      return -19;
                    }
                    try {
                      if (busy) {
                        return -16;
                      }
                      return 0;
                    } finally {
                      drm.exit(idx);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void exceptionsCheckedThrowAndFinally() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void io() throws IOException {}

                  void checked(DrmDevice drm) throws IOException {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: is still held when an exception leaves `checked`
                    if (!drm.enter(idx)) return;
                    io();
                    drm.exit(idx);
                  }

                  void explicitThrow(DrmDevice drm, int v) {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: when an exception leaves
                    if (!drm.enter(idx)) return;
                    if (v < 0) throw new IllegalArgumentException("v");
                    drm.exit(idx);
                  }

                  void uncheckedIgnoredByDefault(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    regs.writel(0, 1);
                    drm.exit(idx);
                  }

                  void fixedFinally(DrmDevice drm) throws IOException {
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
  void uncheckedExceptionsFlag() {
    helper
        .setArgs("-XepOpt:SectionDiscipline:UncheckedExceptions=true")
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void m(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: when an exception leaves
                    if (!drm.enter(idx)) return;
                    regs.writel(0, 1);
                    drm.exit(idx);
                  }

                  void fixed(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    try {
                      regs.writel(0, 1);
                    } finally {
                      drm.exit(idx);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void invalidFlagValueIsAClearError() {
    CompilationTestHelper.newInstance(SectionDiscipline.class, getClass())
        .setArgs("-XepOpt:SectionDiscipline:UncheckedExceptions=maybe")
        .addSourceLines(
            "T.java",
            """
            // BUG: Diagnostic contains: Invalid value 'maybe' for -XepOpt:SectionDiscipline:UncheckedExceptions: expected true or false
            class T {}
            """)
        .doTest();
  }

  @Test
  void exitOnFailureBranchDoubleExitWrongTokenWrongDevice() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void failure(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) {
                      // BUG: Diagnostic contains: is on the failure branch
                      drm.exit(idx);
                      return;
                    }
                    drm.exit(idx);
                  }

                  void twice(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    drm.exit(idx);
                    // BUG: Diagnostic contains: is a double exit
                    drm.exit(idx);
                  }

                  void wrongToken(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    SrcuIdx other = new SrcuIdx();
                    // BUG: Diagnostic contains: still held
                    if (!drm.enter(idx)) return;
                    // BUG: Diagnostic contains: uses the wrong token: `other` entered no section here, but `idx` did
                    drm.exit(other);
                  }

                  void wrongDevice(DrmDevice a, DrmDevice b) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!a.enter(idx)) return;
                    // BUG: Diagnostic contains: exits on `b` the section that `idx` entered on `a`
                    b.exit(idx);
                  }

                  void exitInFinallyAfterFailedEnter(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    try {
                      if (!drm.enter(idx)) return;
                    } finally {
                      // BUG: Diagnostic contains: can run when no section is held
                      drm.exit(idx);
                    }
                  }

                  void nestedTwoDevices(DrmDevice a, DrmDevice b, MmioRegion regs) {
                    SrcuIdx ia = new SrcuIdx();
                    SrcuIdx ib = new SrcuIdx();
                    if (!a.enter(ia)) return;
                    try {
                      if (!b.enter(ib)) return;
                      try {
                        regs.writel(0, 1);
                      } finally {
                        b.exit(ib);
                      }
                    } finally {
                      a.exit(ia);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void storedBooleanAndConditions() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void stored(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    boolean ok = drm.enter(idx);
                    if (ok) {
                      regs.writel(0, 1);
                    }
                    if (ok) {
                      drm.exit(idx);
                    }
                  }

                  void storedNegated(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    boolean ok = drm.enter(idx);
                    if (!ok) return;
                    drm.exit(idx);
                  }

                  void storedWrong(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    boolean ok = drm.enter(idx);
                    // BUG: Diagnostic contains: can run when no section is held
                    drm.exit(idx);
                  }

                  void andCondition(DrmDevice drm, boolean want) {
                    SrcuIdx idx = new SrcuIdx();
                    if (want && drm.enter(idx)) {
                      drm.exit(idx);
                    }
                  }

                  void orCondition(DrmDevice drm, boolean skip) {
                    SrcuIdx idx = new SrcuIdx();
                    if (skip || !drm.enter(idx)) return;
                    drm.exit(idx);
                  }

                  void ignored(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: the result of `drm.enter(idx)` is ignored
                    drm.enter(idx);
                    // BUG: Diagnostic contains: can run when no section is held
                    drm.exit(idx);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void loopsSwitchBreakContinue() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void whileEnter(DrmDevice drm, MmioRegion regs) {
                    SrcuIdx idx = new SrcuIdx();
                    while (drm.enter(idx)) {
                      regs.writel(0, 1);
                      drm.exit(idx);
                    }
                  }

                  void breakOut(DrmDevice drm, int[] xs) {
                    SrcuIdx idx = new SrcuIdx();
                    for (int x : xs) {
                      // BUG: Diagnostic contains: still held
                      if (!drm.enter(idx)) continue;
                      if (x == 0) break;
                      drm.exit(idx);
                    }
                  }

                  void labelledContinue(DrmDevice drm, int[][] xs) {
                    SrcuIdx idx = new SrcuIdx();
                    outer:
                    for (int[] row : xs) {
                      for (int x : row) {
                        if (!drm.enter(idx)) continue outer;
                        try {
                          if (x < 0) continue outer;
                        } finally {
                          drm.exit(idx);
                        }
                      }
                    }
                  }

                  void reenter(DrmDevice drm, int n) {
                    SrcuIdx idx = new SrcuIdx();
                    for (int i = 0; i < n; i++) {
                      // BUG: Diagnostic contains: enters again with `idx`
                      if (!drm.enter(idx)) return;
                    }
                  }

                  int switchStatement(DrmDevice drm, int op) {
                    SrcuIdx idx = new SrcuIdx();
                    // BUG: Diagnostic contains: still held
                    if (!drm.enter(idx)) return -19;
                    switch (op) {
                      case 0:
                        drm.exit(idx);
                        return 0;
                      case 1:
                      case 2:
                        break;
                      default:
                        drm.exit(idx);
                        return 1;
                    }
                    return 2;
                  }

                  int switchExpression(DrmDevice drm, int op) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return -19;
                    int r = switch (op) {
                      case 0 -> {
                        drm.exit(idx);
                        yield 0;
                      }
                      default -> {
                        drm.exit(idx);
                        yield 1;
                      }
                    };
                    return r;
                  }
                }
                """)
        .doTest();
  }

  @Test
  void scopedForm() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  int good(DrmDevice drm, MmioRegion regs) {
                    try (DrmSection s = drm.enterScoped()) {
                      if (!s.entered()) return -19;
                      regs.writel(0, 1);
                      return 0;
                    }
                  }

                  int untested(DrmDevice drm, MmioRegion regs) {
                    // BUG: Diagnostic contains: the scoped section `s` is never tested
                    try (DrmSection s = drm.enterScoped()) {
                      regs.writel(0, 1);
                      return 0;
                    }
                  }

                  void notAResource(DrmDevice drm) {
                    // BUG: Diagnostic contains: make it a try-with-resources resource
                    DrmSection s = drm.enterScoped();
                    s.close();
                  }
                }
                """)
        .doTest();
  }

  @Test
  void unplugInsideSection() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void bad(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    try {
                      // BUG: Diagnostic contains: it deadlocks
                      drm.unplug();
                    } finally {
                      drm.exit(idx);
                    }
                  }

                  void good(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (drm.enter(idx)) {
                      drm.exit(idx);
                    }
                    drm.unplug();
                  }
                }
                """)
        .doTest();
  }

  @Test
  void lambdas() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  void laterExitsCallersSection(DrmDevice drm, Workqueue wq) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    // BUG: Diagnostic contains: which runs later (it is passed to Workqueue.queueWork, whose parameter is @RunsLater): it must not exit its creator's section
                    wq.queueWork(() -> drm.exit(idx));
                    drm.exit(idx);
                  }

                  void lambdaWithItsOwnSection(DrmDevice drm, Workqueue wq, MmioRegion regs) {
                    wq.queueWork(() -> {
                      SrcuIdx idx = new SrcuIdx();
                      if (!drm.enter(idx)) return;
                      try {
                        regs.writel(0, 1);
                      } finally {
                        drm.exit(idx);
                      }
                    });
                  }

                  void lambdaLeaks(DrmDevice drm, java.util.List<Integer> xs) {
                    xs.forEach(x -> {
                      SrcuIdx idx = new SrcuIdx();
                      // BUG: Diagnostic contains: still held
                      if (!drm.enter(idx)) return;
                    });
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
                class T {
                  @SuppressWarnings("SectionDiscipline")
                  void onMethod(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    drm.enter(idx);
                  }

                  void onLocal(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    drm.exit(idx);
                    @SuppressWarnings("SectionDiscipline")
                    Runnable r = () -> drm.exit(idx);
                  }
                }
                """)
        .doTest();
  }

  @Test
  void malformedGuardDeclarationsAreNamed() {
    helper
        .addSourceLines(
            "Guards.java",
            """
            import dev.lifeguard.annotations.*;
            class Idx {}
            class Section implements AutoCloseable {
              @Entered boolean entered() { return true; }
              @Override public void close() {}
            }
            class Plain implements AutoCloseable {
              @Override public void close() {}
            }
            class Guards {
              @Enter boolean enter(@Token Idx idx) { return true; }
              @Exit void exit(@Token Idx idx) {}
              @Enter Section enterScoped() { return new Section(); }
              // BUG: Diagnostic contains: `Guards.noToken` is @Enter and returns boolean, so it is the explicit form, which needs one @Token parameter
              @Enter boolean noToken() { return true; }
              // BUG: Diagnostic contains: `Guards.voidEnter` is @Enter but returns void
              @Enter void voidEnter(@Token Idx idx) {}
              // BUG: Diagnostic contains: returns Plain: an enter returns boolean (with a @Token parameter) or an AutoCloseable section whose boolean query is @Entered
              @Enter Plain noQuery() { return new Plain(); }
              // BUG: Diagnostic contains: `Guards.exitNoToken` is @Exit but has no @Token parameter
              @Exit void exitNoToken(Idx idx) {}
              // BUG: Diagnostic contains: has a @Token parameter but is neither @Enter nor @Exit
              void stray(@Token Idx idx) {}
              // BUG: Diagnostic contains: is @Entered but is not a boolean instance query without parameters
              @Entered int count() { return 0; }
              @SuppressWarnings("SectionDiscipline")
              @Exit void suppressed(Idx idx) {}
            }
            """)
        .doTest();
  }

  @Test
  void wrappersAndOtherSpellingsOfCorrectGuardsAreClean() {
    // Regression tests from review: annotated wrappers, `this.drm` against `drm`, the Java 9 `try (s)` form.
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.annotations.*;
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class Panel {
              DrmDevice drm;
              MmioRegion regs;
              @Enter boolean enter(@Token SrcuIdx idx) { return drm.enter(idx); }
              @Exit void exit(@Token SrcuIdx idx) { drm.exit(idx); }
              @Enter DrmSection open() { return drm.enterScoped(); }
              int viaThis() {
                SrcuIdx idx = new SrcuIdx();
                if (!this.drm.enter(idx)) return -19;
                try { return regs.readl(0); } finally { drm.exit(idx); }
              }
              int java9Resource() {
                final DrmSection s = drm.enterScoped();
                try (s) {
                  if (!s.entered()) return -19;
                  return regs.readl(4);
                }
              }
              int viaWrappers() {
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) return -19;
                try { return regs.readl(8); } finally { exit(idx); }
              }
              int leakThroughWrapper() {
                SrcuIdx idx = new SrcuIdx();
                // BUG: Diagnostic contains: is still held when `leakThroughWrapper` returns
                if (!enter(idx)) return -19;
                return regs.readl(12);
              }
            }
            """)
        .doTest();
  }

  @Test
  void tokensInFieldsOfTwoHoldersAreTwoTokens() {
    helper
        .addSourceLines(
            "Two.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class Holder { DrmDevice dev; SrcuIdx idx = new SrcuIdx(); MmioRegion regs; }
            class Two {
              int both(Holder a, Holder b) {
                if (!a.dev.enter(a.idx)) return -19;
                try {
                  if (!b.dev.enter(b.idx)) return -19;
                  try { return a.regs.readl(0) + b.regs.readl(0); } finally { b.dev.exit(b.idx); }
                } finally {
                  a.dev.exit(a.idx);
                }
              }
              int crossed(Holder a, Holder b) {
                if (!a.dev.enter(a.idx)) return -19;
                // BUG: Diagnostic contains: `b.dev.exit(b.idx)` uses the wrong token: `b.idx` entered no section here, but `a.idx` did
                b.dev.exit(b.idx);
                a.dev.exit(a.idx);
                return 0;
              }
            }
            """)
        .doTest();
  }
}
