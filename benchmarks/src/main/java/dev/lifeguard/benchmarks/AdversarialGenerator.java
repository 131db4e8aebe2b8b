package dev.lifeguard.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Corpus (d): one file with one very long method, built to stress the flow analysis: {@code blocks} consecutive
 * sections (explicit enter/exit with try/finally, and the scoped form), each holding a loop nest {@code depth} deep
 * of {@code for}, {@code while}, {@code if}/{@code else}, {@code switch} and {@code try}/{@code catch}, with guarded
 * register accesses at every level and lambdas run both now (inside the section) and later (stored).
 */
public final class AdversarialGenerator {
  private AdversarialGenerator() {}

  /** Writes {@code dev/lifeguard/adversarial/<className>.java} under {@code root}; returns the root. */
  public static Path generate(Path root, String className, int blocks, int depth) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        package dev.lifeguard.adversarial;

        import dev.lifeguard.annotations.BindingScoped;
        import dev.lifeguard.runtime.bus.MmioRegion;
        import dev.lifeguard.runtime.drm.DrmDevice;
        import dev.lifeguard.runtime.drm.DrmSection;
        import dev.lifeguard.runtime.drm.SrcuIdx;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.IntSupplier;

        /** Generated stress input for the Lifeguard flow analysis. */
        public final class %1$s {
          /** A device with a binding-scoped register window. */
          public static final class StressDevice extends DrmDevice {
            @BindingScoped MmioRegion regs;

            StressDevice(Init init) {
              super(init);
            }
          }

          private final List<IntSupplier> later = new ArrayList<>();

          /** The long method. */
          public int run(StressDevice dev, int[] data, List<Integer> xs) {
            int acc = 0;
        """.formatted(className));
    for (int b = 0; b < blocks; b++) {
      boolean scoped = b % 3 == 2;
      String ind = "    ";
      if (scoped) {
        sb.append(ind).append("try (DrmSection s").append(b).append(" = dev.enterScoped()) {\n");
        sb.append(ind).append("  if (s").append(b).append(".entered()) {\n");
      } else {
        sb.append(ind).append("SrcuIdx idx").append(b).append(" = new SrcuIdx();\n");
        sb.append(ind).append("if (dev.enter(idx").append(b).append(")) {\n");
        sb.append(ind).append("  try {\n");
      }
      String in = ind + "    ";
      nest(sb, in, b, 0, depth);
      sb.append(in).append("final int f").append(b).append(" = acc;\n");
      sb.append(in).append("for (Integer x : xs) {\n");
      sb.append(in).append("  dev.regs.writel(").append(b % 16 * 4).append(", x + f").append(b).append(");\n");
      sb.append(in).append("}\n");
      sb.append(in).append("acc += xs.stream().mapToInt(x -> x + f").append(b).append(").sum();\n");
      sb.append(in).append("later.add(() -> f").append(b).append(" * 2);\n");
      if (scoped) {
        sb.append(ind).append("  }\n");
        sb.append(ind).append("}\n");
      } else {
        sb.append(ind).append("  } finally {\n");
        sb.append(ind).append("    dev.exit(idx").append(b).append(");\n");
        sb.append(ind).append("  }\n");
        sb.append(ind).append("}\n");
      }
    }
    sb.append("""
            return acc;
          }
        }
        """);
    try {
      Path dir = root.resolve("dev/lifeguard/adversarial");
      DriverCorpusGenerator.deleteRecursively(root);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(className + ".java"), sb);
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void nest(StringBuilder sb, String ind, int b, int level, int depth) {
    String v = "i" + b + "_" + level;
    sb.append(ind).append("acc += dev.regs.readl(").append((b + level) % 16 * 4).append(");\n");
    if (level == depth) {
      return;
    }
    String in = ind + "  ";
    switch (level % 5) {
      case 0 -> {
        sb.append(ind).append("for (int ").append(v).append(" = 0; ").append(v).append(" < data.length; ")
            .append(v).append("++) {\n");
        sb.append(in).append("if (data[").append(v).append("] < 0) {\n");
        sb.append(in).append("  continue;\n");
        sb.append(in).append("}\n");
        nest(sb, in, b, level + 1, depth);
        sb.append(ind).append("}\n");
      }
      case 1 -> {
        sb.append(ind).append("int ").append(v).append(" = acc;\n");
        sb.append(ind).append("while (").append(v).append(" > 0) {\n");
        sb.append(in).append(v).append(" >>= 1;\n");
        sb.append(in).append("if (").append(v).append(" == 7) {\n");
        sb.append(in).append("  break;\n");
        sb.append(in).append("}\n");
        nest(sb, in, b, level + 1, depth);
        sb.append(ind).append("}\n");
      }
      case 2 -> {
        sb.append(ind).append("if ((acc & ").append(1 << (level % 8)).append(") != 0) {\n");
        nest(sb, in, b, level + 1, depth);
        sb.append(ind).append("} else {\n");
        sb.append(in).append("dev.regs.writel(").append(level % 16 * 4).append(", acc);\n");
        sb.append(ind).append("}\n");
      }
      case 3 -> {
        sb.append(ind).append("switch (acc % 3) {\n");
        sb.append(in).append("case 0:\n");
        sb.append(in).append("  acc++;\n");
        sb.append(in).append("case 1: {\n");
        nest(sb, in + "  ", b, level + 1, depth);
        sb.append(in).append("  break;\n");
        sb.append(in).append("}\n");
        sb.append(in).append("default:\n");
        sb.append(in).append("  acc--;\n");
        sb.append(ind).append("}\n");
      }
      default -> {
        sb.append(ind).append("try {\n");
        sb.append(in).append("acc = Math.addExact(acc, ").append(level).append(");\n");
        nest(sb, in, b, level + 1, depth);
        sb.append(ind).append("} catch (ArithmeticException e").append(v).append(") {\n");
        sb.append(in).append("acc = 0;\n");
        sb.append(ind).append("}\n");
      }
    }
  }
}
