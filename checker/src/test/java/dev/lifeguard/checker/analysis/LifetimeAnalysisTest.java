package dev.lifeguard.checker.analysis;

import com.google.errorprone.CompilationTestHelper;
import dev.lifeguard.checker.TestApiAccess;
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
}
