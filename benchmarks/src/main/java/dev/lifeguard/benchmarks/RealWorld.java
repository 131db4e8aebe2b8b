package dev.lifeguard.benchmarks;

import dev.lifeguard.benchmarks.InProcessJavac.Mode;
import dev.lifeguard.benchmarks.InProcessJavac.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real-world run: compiles open-source projects from their Maven Central source jars, with their compile
 * dependencies, under Error Prone with every Lifeguard check at ERROR. Each project is first compiled by plain javac,
 * so a corpus problem is not mistaken for a Lifeguard one. Expected: zero crashes and zero findings.
 *
 * <p>Arguments: {@code --root DIR --work DIR}; sources come from {@code WORK/corpus-sources/NAME}, dependencies from
 * {@code WORK/corpus-deps/NAME/*.jar}. Exit status 1 on any crash, finding or compile error.
 */
public final class RealWorld {
  private static final List<String> PROJECTS =
      List.of("commons-lang3", "commons-collections4", "javaparser-core", "jackson-databind", "guava");

  private RealWorld() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    Path work = Path.of("target");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--work")) {
        work = Path.of(args[++i]);
      } else if (args[i].equals("--root")) {
        i++;
      }
    }
    InProcessJavac javac = new InProcessJavac("ERROR");
    StringBuilder report = new StringBuilder();
    report.append("Lifeguard checks at ERROR: ").append(String.join(", ", LifeguardChecks.names()))
        .append("; JDK ").append(Runtime.version()).append("\n\n")
        .append("| project | files | lines | dependencies | plain javac errors | Lifeguard findings | crashes | other errors |"
            + " plain s | lifeguard s |\n")
        .append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
    boolean ok = true;
    for (String name : PROJECTS) {
      Path deps = work.resolve("corpus-deps").resolve(name);
      String cp = "";
      if (Files.isDirectory(deps)) {
        try (Stream<Path> s = Files.list(deps)) {
          cp = s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
              .collect(Collectors.joining(java.io.File.pathSeparator));
        }
      }
      Corpus c = Corpus.of(name, cp, work.resolve("corpus-sources").resolve(name));
      System.err.printf(Locale.ROOT, "%s: %d files, %d lines%n", name, c.files().size(), c.lines());
      Path out = work.resolve("realworld-out").resolve(name);
      Result plain = javac.compile(c, Mode.PLAIN, out.resolve("plain"));
      Result lg = javac.compile(c, Mode.LIFEGUARD, out.resolve("lifeguard"));
      plain.firstErrors().forEach(e -> System.err.println("  plain: " + e));
      lg.firstErrors().forEach(e -> System.err.println("  lifeguard: " + e));
      lg.findings().forEach(f -> System.err.println("  finding: " + f));
      String depNames = cp.isEmpty() ? "none" : Stream.of(cp.split(java.io.File.pathSeparator))
          .map(p -> Path.of(p).getFileName().toString().replace(".jar", "")).collect(Collectors.joining(", "));
      report.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %d | %d | %.1f | %.1f |%n", name,
          c.files().size(), c.lines(), depNames, plain.errors(), lg.findings().size(), lg.crashes(), lg.errors(),
          plain.nanos() / 1e9, lg.nanos() / 1e9));
      ok &= plain.errors() == 0 && lg.findings().isEmpty() && lg.crashes() == 0 && lg.errors() == 0;
    }
    System.out.println(report);
    Path dir = work.resolve("bench-results");
    Files.createDirectories(dir);
    Path file = dir.resolve("real-world-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
    Files.writeString(file, report);
    System.out.println("Written to " + file + (ok ? "" : "\nFAILED: a compile error, a crash or a finding (see above)"));
    if (!ok) {
      System.exit(1);
    }
  }
}
