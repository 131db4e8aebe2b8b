package dev.lifeguard.benchmarks;

import dev.lifeguard.benchmarks.InProcessJavac.Mode;
import dev.lifeguard.benchmarks.InProcessJavac.Result;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compile-cost harness: compiles each corpus three ways (plain javac; Error Prone with every check off; Error
 * Prone with only Lifeguard's checks), interleaved round by round in one JVM with a warm JIT, and prints medians,
 * ratios and peak live heap as a Markdown table (also written to {@code target/bench-results/}).
 *
 * <p>Peak memory is the peak resident set of one extra, cold {@code javac} process per mode (skip with
 * {@code --no-rss}).
 *
 * <p>With {@code --profile}, a JFR recording samples the timed rounds every millisecond; each compile runs on a
 * thread named for its mode, so the samples split by mode: how much more the Lifeguard compiles sampled than the
 * ep-off ones, how much of that was inside Lifeguard's code, and how much was Error Prone calling the checks. It
 * needs {@code -XX:FlightRecorderOptions:stackdepth=2048} on the harness JVM (javac's stacks are deep). The recording
 * of each corpus is kept as {@code target/bench-results/profile-<corpus>.jfr}, for {@code jfr print}.
 *
 * <p>Before the first corpus, the JVM is warmed with {@code --jvm-warmup N} (default 20) untimed rounds of
 * {@code samples} in every mode, so the order of the corpora does not change their figures.
 *
 * <p>Arguments: {@code --root DIR --work DIR [--rounds N] [--warmup N] [--jvm-warmup N] [--no-rss] [--profile]
 * corpus...}, where a corpus is one of
 * {@code samples}, {@code gen-10k}, {@code gen-50k}, {@code gen-200k}, {@code commons-lang3},
 * {@code commons-collections4}, {@code javaparser-core}, {@code adversarial}, {@code adversarial-4x}, or the groups
 * {@code gen}, {@code real}, {@code all}.
 */
public final class CompileCost {
  private static final List<String> ALL = List.of("samples", "commons-lang3", "commons-collections4",
      "javaparser-core", "gen-10k", "gen-50k", "gen-200k", "adversarial", "adversarial-4x");
  /** Blocks of the adversarial method; the 4x file has four times as many. Bounded by the JVM's 64 KiB per method. */
  static final int ADVERSARIAL_BLOCKS = 12;
  static final int ADVERSARIAL_DEPTH = 12;

  private final Path root;
  private final Path work;
  private final int roundsOverride;
  private final int warmupOverride;
  private final boolean measureRss;
  private final InProcessJavac javac = new InProcessJavac("WARN");
  private final StringBuilder report = new StringBuilder();
  private final List<String> profileLines = new ArrayList<>();
  private final boolean profile;
  private final int jvmWarmup;
  private final Map<String, double[]> scaling = new LinkedHashMap<>();

  private CompileCost(
      Path root, Path work, int rounds, int warmup, boolean measureRss, boolean profile, int jvmWarmup) {
    this.measureRss = measureRss;
    this.jvmWarmup = jvmWarmup;
    this.profile = profile;
    this.root = root;
    this.work = work;
    this.roundsOverride = rounds;
    this.warmupOverride = warmup;
  }

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(".");
    Path work = Path.of("target");
    int rounds = 0;
    int warmup = -1;
    boolean rss = true;
    boolean profile = false;
    int jvmWarmup = 20;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--no-rss" -> rss = false;
        case "--profile" -> profile = true;
        case "--jvm-warmup" -> jvmWarmup = Integer.parseInt(args[++i]);
        default -> names.addAll(Arrays.asList(args[i].split("[ ,]+")));
      }
    }
    List<String> corpora = new ArrayList<>();
    for (String n : names.isEmpty() ? List.of("all") : names) {
      switch (n) {
        case "all" -> corpora.addAll(ALL);
        case "gen" -> corpora.addAll(List.of("gen-10k", "gen-50k", "gen-200k"));
        case "real" -> corpora.addAll(List.of("commons-lang3", "commons-collections4", "javaparser-core"));
        case "" -> { }
        default -> corpora.add(n);
      }
    }
    if (profile && ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .noneMatch(a -> a.contains("stackdepth="))) {
      System.err.println("--profile needs -XX:FlightRecorderOptions:stackdepth=2048 on the harness JVM"
          + " (\"-Dbench.jvm=-Xss4m -Xms4g -Xmx4g -XX:FlightRecorderOptions:stackdepth=2048\"): javac's stacks are"
          + " deeper than JFR's default of 64 frames, so Lifeguard's frames would be cut off");
      System.exit(2);
    }
    new CompileCost(root, work, rounds, warmup, rss, profile, jvmWarmup).run(corpora);
  }

  private void run(List<String> corpora) throws IOException {
    List<String> checks = LifeguardChecks.names();
    line("# Lifeguard compile cost, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    line("");
    line("JDK " + Runtime.version() + " (" + System.getProperty("java.home") + "), "
        + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; Lifeguard checks (WARN): " + String.join(", ", checks));
    line("");
    line("| corpus | files | lines | rounds | plain s | ep-off s | lifeguard s | lifeguard/ep-off | per-round median"
        + " | CPU per-round median | Lifeguard's own time / ep-off | ep-off/plain | lifeguard/plain | peak RSS MiB (cold javac) plain / ep-off / lifeguard | findings | errors"
        + " | load avg before → after |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|");
    warmUpJvm();
    for (String name : corpora) {
      Corpus c = corpus(name);
      measure(c);
    }
    if (!profileLines.isEmpty()) {
      line("");
      line("Profile (JFR, every 1 ms, timed rounds; samples of each mode's compiling thread):");
      line("");
      line("| corpus | samples ep-off | samples lifeguard | lifeguard/ep-off | in Lifeguard's code / ep-off"
          + " | Error Prone calling the checks / ep-off |");
      line("|---|---:|---:|---:|---:|---:|");
      profileLines.forEach(this::line);
    }
    if (!scaling.isEmpty()) {
      line("");
      line("Scaling (medians, milliseconds per thousand lines):");
      line("");
      line("| corpus | lines | plain ms/kLOC | ep-off ms/kLOC | lifeguard ms/kLOC | lifeguard - ep-off ms/kLOC |");
      line("|---|---:|---:|---:|---:|---:|");
      double[] first = null;
      double[] last = null;
      for (Map.Entry<String, double[]> e : scaling.entrySet()) {
        double[] v = e.getValue();
        line(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.1f | %.1f |", e.getKey(), v[0], v[1], v[2], v[3],
            v[3] - v[2]));
        if (e.getKey().startsWith("gen-")) {
          first = first == null ? v : first;
          last = v;
        }
      }
      if (first != null && last != first) {
        line("");
        line(String.format(Locale.ROOT,
            "Largest / smallest generated corpus, time per kLOC: plain %.3f, ep-off %.3f, lifeguard %.3f;"
                + " Lifeguard's own increment per kLOC %.3f", last[1] / first[1], last[2] / first[2],
            last[3] / first[3], (last[3] - last[2]) / (first[3] - first[2])));
      }
    }
    Path out = work.resolve("bench-results");
    Files.createDirectories(out);
    Path file = out.resolve("compile-cost-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
    Files.writeString(file, report);
    System.out.println();
    System.out.println("Written to " + file);
  }

  /**
   * Compiles {@code samples} in every mode, untimed, before the first corpus: each corpus's own warm-up rounds
   * then only settle its sizes, and the first corpus measured is as warm as the last. Without it, a first corpus
   * of 10k lines still ran Lifeguard's code partly interpreted in its timed rounds (own/ep-off 0.086 against
   * 0.057-0.060 measured after other corpora).
   */
  private void warmUpJvm() {
    if (jvmWarmup <= 0) {
      return;
    }
    Corpus c = corpus("samples");
    System.err.printf(Locale.ROOT, "JVM warm-up: %d rounds of samples in every mode%n", jvmWarmup);
    for (int r = 0; r < jvmWarmup; r++) {
      for (Mode m : Mode.values()) {
        javac.compile(c, m, work.resolve("bench-out").resolve("jvm-warmup").resolve(m.label()));
      }
    }
  }

  private Corpus corpus(String name) {
    String lifeguardCp = classpathOfLifeguard();
    Path gen = work.resolve("generated");
    return switch (name) {
      case "samples" -> Corpus.of(name, lifeguardCp, root.resolve("sample-drivers/src/main/java"),
          root.resolve("test-fixtures/src/main/java"));
      case "gen-10k", "gen-50k", "gen-200k" -> {
        long target = Long.parseLong(name.substring(4, name.length() - 1)) * 1000;
        Path dir = new DriverCorpusGenerator(root.resolve("sample-drivers/src/main/java")).generate(gen.resolve(name), target);
        yield Corpus.of(name, lifeguardCp, dir);
      }
      case "commons-lang3", "commons-collections4", "javaparser-core" ->
          Corpus.of(name, "", work.resolve("corpus-sources").resolve(name));
      case "adversarial" -> Corpus.of(name, lifeguardCp, AdversarialGenerator.generate(gen.resolve(name),
          "Adversarial", ADVERSARIAL_BLOCKS, ADVERSARIAL_DEPTH));
      case "adversarial-4x" -> Corpus.of(name, lifeguardCp, AdversarialGenerator.generate(gen.resolve(name),
          "Adversarial4x", 4 * ADVERSARIAL_BLOCKS, ADVERSARIAL_DEPTH));
      default -> throw new IllegalArgumentException("unknown corpus " + name + "; known: " + ALL);
    };
  }

  private String classpathOfLifeguard() {
    try {
      return Files.readString(work.resolve("corpus-classpath.txt")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void measure(Corpus c) {
    // Small corpora compile in a fraction of a second: the JIT needs about 15 rounds of them before Lifeguard's
    // own code is compiled (fewer, and the first timed rounds still pay for interpretation).
    int rounds = roundsOverride > 0 ? roundsOverride : c.lines() < 20_000 ? 20 : c.lines() < 120_000 ? 7 : 5;
    int warmup = warmupOverride >= 0 ? warmupOverride : c.lines() < 20_000 ? 15 : c.lines() < 120_000 ? 3 : 2;
    String loadBefore = loadAverage();
    System.err.printf(Locale.ROOT, "%s: %d files, %d lines; %d warm-up + %d rounds; load %s%n", c.name(),
        c.files().size(), c.lines(), warmup, rounds, loadBefore);
    Map<Mode, List<Result>> results = new EnumMap<>(Mode.class);
    Mode[] modes = Mode.values();
    Recording recording = null;
    for (int r = -warmup; r < rounds; r++) {
      if (r == 0 && profile) {
        recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
        recording.start();
      }
      for (int i = 0; i < modes.length; i++) {
        Mode m = modes[Math.floorMod(r + i, modes.length)]; // rotate the order: no mode always runs first
        settle(); // the previous compile's garbage is collected before the clock starts, not charged to this one
        Result res = javac.compile(c, m, work.resolve("bench-out").resolve(c.name()).resolve(m.label()));
        System.err.printf(Locale.ROOT, "  round %d %-9s %8.3f s errors %d findings %d crashes %d%n", r,
            m.label(), res.nanos() / 1e9, res.errors(), res.findings().size(), res.crashes());
        res.firstErrors().forEach(e -> System.err.println("    " + e));
        if (r >= 0) {
          results.computeIfAbsent(m, k -> new ArrayList<>()).add(res);
        }
      }
    }
    if (recording != null) {
      profileLines.add(profileLine(c, recording));
    }
    double plain = median(results.get(Mode.PLAIN), Result::nanos) / 1e9;
    double off = median(results.get(Mode.EP_OFF), Result::nanos) / 1e9;
    double lg = median(results.get(Mode.LIFEGUARD), Result::nanos) / 1e9;
    double[] paired = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      paired[r] = (double) results.get(Mode.LIFEGUARD).get(r).nanos() / results.get(Mode.EP_OFF).get(r).nanos();
    }
    double pairedMedian = medianOf(paired);
    // The compiling thread's CPU time: free of the GC threads and of whatever else the machine was doing.
    double[] pairedCpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      pairedCpu[r] = (double) results.get(Mode.LIFEGUARD).get(r).cpuNanos() / results.get(Mode.EP_OFF).get(r).cpuNanos();
    }
    double cpuMedian = medianOf(pairedCpu);
    // Error Prone's own accounting of the time spent inside the Lifeguard checks, against the ep-off compile of the
    // same round: a direct measure, not a difference of two noisy totals.
    double[] own = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      own[r] = (double) results.get(Mode.LIFEGUARD).get(r).lifeguardNanos() / results.get(Mode.EP_OFF).get(r).nanos();
    }
    double ownMedian = medianOf(own);
    Result lgLast = results.get(Mode.LIFEGUARD).get(rounds - 1);
    long[] rss = new long[modes.length];
    for (Mode m : modes) {
      rss[m.ordinal()] = measureRss
          ? javac.forkedPeakRss(c, m, work.resolve("bench-out").resolve(c.name()).resolve(m.label() + "-rss")) >> 10
          : -1;
    }
    line(String.format(Locale.ROOT,
        "| %s | %d | %d | %d | %.3f | %.3f | %.3f | **%.3f** | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d / %d | %d | %d | %s → %s |",
        c.name(), c.files().size(), c.lines(), rounds, plain, off, lg, lg / off, pairedMedian, cpuMedian, ownMedian,
        off / plain,
        lg / plain,
        rss[0], rss[1], rss[2],
        lgLast.findings().size(), lgLast.errors(), loadBefore, loadAverage()));
    double k = c.lines() / 1000.0;
    if (c.name().startsWith("gen-") || c.name().startsWith("adversarial")) {
      scaling.put(c.name(), new double[] {c.lines(), plain * 1000 / k, off * 1000 / k, lg * 1000 / k});
    }
  }

  /**
   * Splits the recording's samples by mode (the compiling thread's name): all of them, those inside Lifeguard's
   * code, and those in Error Prone's scanner outside it. The last, beyond what the ep-off compiles had of it, is
   * Error Prone calling the checks' matchers (suppression, timing), which no change inside the checks can remove.
   */
  private String profileLine(Corpus c, Recording recording) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    try {
      recording.stop();
      Path file = Files.createDirectories(work.resolve("bench-results")).resolve("profile-" + c.name() + ".jfr");
      recording.dump(file);
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        RecordedThread t = e.getThread("sampledThread");
        if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith("javac-")
            || e.getStackTrace() == null) {
          continue;
        }
        long[] n = counts.computeIfAbsent(t.getJavaName().substring("javac-".length()), k -> new long[3]);
        boolean inLifeguard = false;
        boolean inScanner = false;
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          String type = f.getMethod().getType().getName();
          inLifeguard |= type.startsWith("dev.lifeguard.checker");
          inScanner |= type.equals("com.google.errorprone.scanner.ErrorProneScanner");
        }
        n[0]++;
        n[1] += inLifeguard ? 1 : 0;
        n[2] += inScanner && !inLifeguard ? 1 : 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      recording.close();
    }
    long[] off = counts.getOrDefault(Mode.EP_OFF.label(), new long[3]);
    long[] lg = counts.getOrDefault(Mode.LIFEGUARD.label(), new long[3]);
    double base = Math.max(1, off[0]);
    return String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f |", c.name(), off[0], lg[0], lg[0] / base,
        lg[1] / base, (lg[2] - off[2]) / base);
  }

  private static double medianOf(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static void settle() {
    System.gc();
    System.gc();
  }

  /** The 1-minute load average, to judge how noisy the machine was; "?" where unknown. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static double median(List<Result> rs, java.util.function.ToLongFunction<Result> f) {
    long[] v = rs.stream().mapToLong(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private void line(String s) {
    System.out.println(s);
    report.append(s).append('\n');
  }
}
