package dev.lifeguard.checker.analysis;

import com.google.errorprone.CompilationTestHelper;
import dev.lifeguard.checker.TestApiAccess;
import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Which engine analyses which body. What the walk computes is held to the CFG engine by every other test: the
 * suites run with {@code -Dlifeguard.crossCheck=true}, which analyses each walked body with both and fails the
 * compilation on any difference.
 */
final class StructuredWalkTest {
  private final CompilationTestHelper helper =
      TestApiAccess.add(CompilationTestHelper.newInstance(EngineChecker.class, getClass()));

  @Test
  void driverShapedBodiesAreWalkedAndTheRestGoToTheCfg() {
    helper
        .addSourceLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              // BUG: Diagnostic contains: engine walk
              int ioctl(DrmDevice drm, MmioRegion regs, int[] rows, java.util.List<String> names) {
                SrcuIdx idx = new SrcuIdx();
                if (!drm.enter(idx)) {
                  return -19;
                }
                try {
                  outer:
                  for (int r : rows) {
                    int i = 0;
                    while (i < r) {
                      if (i++ > 8) continue outer;
                      regs.writel(i, r);
                    }
                    switch (r) {
                      case 0:
                        regs.writel(0, 0);
                      case 1:
                        break;
                      default:
                        regs.writel(1, r);
                    }
                  }
                  for (String n : names) {
                    do { regs.writel(n.length(), 0); } while (n.isEmpty());
                  }
                  return rows.length > 0 ? regs.readl(0) : 0;
                } finally {
                  drm.exit(idx);
                }
              }

              // BUG: Diagnostic contains: engine walk
              void scoped(DrmDevice drm, MmioRegion regs) {
                try (DrmSection s = drm.enterScoped()) {
                  if (s.entered()) {
                    regs.writel(0, 1);
                  }
                } catch (IllegalStateException e) {
                  regs.writel(0, 2);
                }
              }

              // BUG: Diagnostic contains: engine cfg
              int switchExpression(DrmDevice drm, MmioRegion regs, int r) {
                return switch (r) {
                  case 0 -> regs.readl(0);
                  default -> { yield 1; }
                };
              }

              // BUG: Diagnostic contains: engine cfg
              void monitor(MmioRegion regs) {
                synchronized (this) {
                  regs.writel(0, 1);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void javacSynthesisedCallsOnLifetimeValues() {
    helper
        .addSourceLines(
            "T.java",
            """
            import dev.lifeguard.annotations.*;
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T {
              @BindingScoped java.util.List<Integer> rows;
              @BindingScoped Integer level;

              // The iterator() of an enhanced for is a use of `rows`: the walk models it (and agrees with the CFG).
              @UserReachable("ioctl")
              // BUG: Diagnostic contains: engine walk
              int sum(MmioRegion regs) {
                int s = 0;
                for (int r : rows) {
                  s += r;
                }
                return s;
              }

              // Unboxing a binding-scoped value is a call the CFG has and the walk does not.
              @UserReachable("ioctl")
              // BUG: Diagnostic contains: engine cfg
              int next(MmioRegion regs) {
                return level + 1;
              }
            }
            """)
        .doTest();
  }

  @Test
  void theCrossCheckCatchesAWalkThatLosesAnEvent() {
    LifetimeAnalysis.walkTamper = w -> w.events.clear();
    try {
      Throwable t = assertThrows(Throwable.class, () -> helper
          .addSourceLines(
              "T.java",
              """
              import dev.lifeguard.runtime.bus.*;
              import dev.lifeguard.runtime.drm.*;
              class T {
                void m(DrmDevice drm, MmioRegion regs) {
                  regs.writel(0, 1);
                }
              }
              """)
          .doTest());
      assertThat(t).hasMessageThat().contains("Lifeguard engines disagree on `m`");
      assertThat(t).hasMessageThat().contains("at regs.writel(0, 1): walk [] cfg [(use regs.writel(0, 1) NONE");
    } finally {
      LifetimeAnalysis.walkTamper = null;
    }
  }
}
