package dev.lifeguard.checker;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Runs javac with Error Prone as a plugin, the way a build does: the checks are loaded from the annotation
 * processor path, and diagnostics are asserted by file and line.
 */
final class EndToEndTest {

  private static Compilation compile(JavaFileObject... sources) {
    return TestApi.compileWithPlugin(
        "-Xep:DrmObjectInDevres:ERROR -Xep:UnguardedDevresAccess:ERROR -Xep:SectionDiscipline:ERROR"
            + " -Xep:ReleaseOrdering:ERROR",
        sources);
  }

  @Test
  void buggyDriverFailsWithEachCheckAtItsLine() {
    JavaFileObject driver =
        JavaFileObjects.forSourceLines(
            "demo.PanelDriver",
            "package demo;",
            "import dev.lifeguard.runtime.bus.*;",
            "import dev.lifeguard.runtime.drm.*;",
            "class Panel { DrmEncoder encoder; }",
            "final class PanelDriver implements BusDriver, DrmIoctl, DrmDriver {",
            "  MmioRegion regs;",
            "  DrmDevice drm;",
            "  public String name() { return \"panel\"; }",
            "  public int probe(Device dev) {",
            "    Panel p = Devm.kzalloc(dev, Panel::new);", // line 10: R1
            "    regs = Devm.ioremap(dev, \"regs\", 64);",
            "    return 0;",
            "  }",
            "  public void remove(Device dev) {}",
            "  public int handle(DrmFile file, long arg) {",
            "    SrcuIdx idx = new SrcuIdx();",
            "    if (!drm.enter(idx)) return -19;", // line 17: R3 leak
            "    if (arg < 0) return -22;",
            "    regs.writel(0, 1);",
            "    drm.exit(idx);",
            "    return regs.readl(0);", // line 21: R2
            "  }",
            "  public void release(DrmDevice d) {",
            "    d.put();", // line 24: R5
            "  }",
            "}");
    Compilation c = compile(driver);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[DrmObjectInDevres]").inFile(driver).onLine(10);
    assertThat(c).hadErrorContaining("[SectionDiscipline]").inFile(driver).onLine(17);
    assertThat(c).hadErrorContaining("[UnguardedDevresAccess]").inFile(driver).onLine(21);
    assertThat(c).hadErrorContaining("[ReleaseOrdering]").inFile(driver).onLine(24);
    assertThat(c).hadErrorCount(4);
  }

  @Test
  void fixedDriverCompilesCleanly() {
    JavaFileObject driver =
        JavaFileObjects.forSourceLines(
            "demo.PanelDriver",
            "package demo;",
            "import dev.lifeguard.runtime.bus.*;",
            "import dev.lifeguard.runtime.drm.*;",
            "class Panel { DrmEncoder encoder; }",
            "final class PanelDriver implements BusDriver, DrmIoctl, DrmDriver {",
            "  MmioRegion regs;",
            "  DrmDevice drm;",
            "  public String name() { return \"panel\"; }",
            "  public int probe(Device dev) {",
            "    Panel p = Drmm.kzalloc(drm, Panel::new);",
            "    regs = Devm.ioremap(dev, \"regs\", 64);",
            "    return 0;",
            "  }",
            "  public void remove(Device dev) {}",
            "  public int handle(DrmFile file, long arg) {",
            "    SrcuIdx idx = new SrcuIdx();",
            "    if (!drm.enter(idx)) return -19;",
            "    try {",
            "      if (arg < 0) return -22;",
            "      regs.writel(0, 1);",
            "      return regs.readl(0);",
            "    } finally {",
            "      drm.exit(idx);",
            "    }",
            "  }",
            "  public void release(DrmDevice d) {}",
            "}");
    assertThat(compile(driver)).succeededWithoutWarnings();
  }
}
