package dev.lifeguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class UnguardedDevresAccessTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(UnguardedDevresAccess.class, getClass()));

  @Test
  void identification() {
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.annotations.*;
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            final class Panel extends DrmDevice implements DrmIoctl {
              @BindingScoped Object priv;
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                // BUG: Diagnostic contains: `regs` is binding-scoped (MmioRegion is a binding-scoped type: released at unbind) but `handle` implements DrmIoctl.handle, which is user-reachable (ioctls run for as long as userspace holds an fd, also after unbind), and no section is held here
                regs.writel(0x10, 1);
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) {
                  // BUG: Diagnostic contains: and no section is held here
                  return regs.readl(0);
                }
                try {
                  regs.writel(0x14, 2);
                  return priv.hashCode();
                } finally {
                  exit(idx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void fixedTwinIsClean() {
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            final class Panel extends DrmDevice implements DrmIoctl {
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) {
                  return -19;
                }
                try {
                  regs.writel(0x10, 1);
                  return regs.readl(0);
                } finally {
                  exit(idx);
                }
              }
            }
            """)
        .doTest();
  }
}
