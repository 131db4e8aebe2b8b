package dev.lifeguard.benchmarks;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac run inside this JVM through the JDK compiler API, the way NullAway's JMH module does it: Error Prone and the
 * checker are on this JVM's class path, so their classes are loaded once and get JIT-compiled across runs.
 *
 * <p>Each compile reports its wall time and its diagnostics. Peak memory is measured apart, by {@link #forkedPeakRss}:
 * javac frees its state when a task ends, so the heap of this JVM says little about one compile.
 */
public final class InProcessJavac {
  /** How a corpus is compiled. */
  public enum Mode {
    /** javac alone. */
    PLAIN("plain"),
    /** javac with Error Prone and every check disabled. */
    EP_OFF("ep-off"),
    /** javac with Error Prone and only Lifeguard's checks. */
    LIFEGUARD("lifeguard");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    /** The name used in reports. */
    public String label() {
      return label;
    }
  }

  /**
   * One compile.
   *
   * @param nanos wall time of {@code JavacTask.call()}
   * @param errors error diagnostics
   * @param findings diagnostics of a Lifeguard check (any severity), as {@code [Name] message} lines
   * @param crashes Error Prone crash reports and exceptions out of javac
   * @param firstErrors the first error messages, for the log
   */
  public record Result(long nanos, long cpuNanos, long lifeguardNanos, int errors, List<String> findings, int crashes,
      List<String> firstErrors) {}

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * The time Error Prone spent inside the Lifeguard checks in this compilation (its own per-check accounting,
   * which wraps every matcher call; the shared analysis runs inside whichever check asks first). -1 if unknown.
   */
  private long lifeguardTime(Object context) {
    if (context == null) {
      return -1;
    }
    try {
      Class<?> timingsClass = Class.forName("com.google.errorprone.ErrorProneTimings");
      Object timings = timingsClass.getMethod("instance", Class.forName("com.sun.tools.javac.util.Context"))
          .invoke(null, context);
      long sum = 0;
      for (var e : ((java.util.Map<?, ?>) timingsClass.getMethod("timings").invoke(timings)).entrySet()) {
        if (lifeguardChecks.get(0).contains("-Xep:" + e.getKey() + ":")) {
          long ns = ((java.time.Duration) e.getValue()).toNanos();
          sum += ns;
          if (Boolean.getBoolean("bench.debug")) {
            System.err.printf(Locale.ROOT, "    %s %.1f ms%n", e.getKey(), ns / 1e6);
          }
        }
      }
      return sum;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (Boolean.getBoolean("bench.debug")) {
        e.printStackTrace();
      }
      return -1;
    }
  }

  /** javac's context of a task (reflection: this module compiles against the public API only). */
  private static Object contextOf(JavaCompiler.CompilationTask task) {
    try {
      return task.getClass().getMethod("getContext").invoke(task);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static final Pattern CHECK_TAG = Pattern.compile("^\\[([A-Za-z0-9]+)\\]");
  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final String processorPath = System.getProperty("java.class.path");
  private final List<String> lifeguardChecks;

  /** A compiler that checks with Lifeguard at {@code severity} (WARN for benchmarks, ERROR for the gate). */
  public InProcessJavac(String severity) {
    this.lifeguardChecks = List.of(LifeguardChecks.plugin(severity));
  }

  /** The javac options of {@code mode}, after the common ones. */
  public List<String> options(Mode mode, Corpus corpus, Path out) {
    List<String> o = new ArrayList<>(List.of(
        "--release", "17", "-encoding", "UTF-8", "-proc:none", "-implicit:none", "-Xlint:none",
        "-Xmaxwarns", "100000", "-Xmaxerrs", "100000", "-d", out.toString()));
    if (!corpus.classpath().isEmpty()) {
      o.addAll(List.of("-classpath", corpus.classpath()));
    }
    if (mode != Mode.PLAIN) {
      o.addAll(List.of("-XDcompilePolicy=simple", "--should-stop=ifError=FLOW", "-processorpath", processorPath));
      o.add(mode == Mode.EP_OFF ? "-Xplugin:ErrorProne -XepDisableAllChecks" : lifeguardChecks.get(0));
    }
    return o;
  }

  /** Compiles {@code corpus} in {@code mode}, writing class files under {@code out}. */
  public Result compile(Corpus corpus, Mode mode, Path out) {
    // Each compile runs on a thread named for its mode, so a profiler's samples tell the three modes apart.
    Result[] result = {null};
    RuntimeException[] failure = {null};
    Thread t = new Thread(() -> {
      try {
        result[0] = compileHere(corpus, mode, out);
      } catch (RuntimeException e) {
        failure[0] = e;
      }
    }, "javac-" + mode.label());
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling " + corpus.name(), e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return result[0];
  }

  private Result compileHere(Corpus corpus, Mode mode, Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> findings = new ArrayList<>();
    List<String> firstErrors = new ArrayList<>();
    int[] errors = {0};
    int[] crashes = {0};
    StringWriter log = new StringWriter();
    System.gc();
    long start;
    long nanos;
    long cpu;
    long self;
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(corpus.files());
      var task = javac.getTask(log, fm, d -> {
        String msg = d.getMessage(Locale.ROOT);
        if (msg.contains("An unhandled exception was thrown by the Error Prone")) {
          crashes[0]++;
        }
        Matcher m = CHECK_TAG.matcher(msg);
        if (m.find() && lifeguardChecks.get(0).contains("-Xep:" + m.group(1) + ":")) {
          findings.add(msg.lines().findFirst().orElse(msg) + " (" + d.getSource().getName() + ":" + d.getLineNumber() + ")");
        } else if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors[0]++;
          if (firstErrors.size() < 5) {
            firstErrors.add((d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + msg);
          }
        }
      }, options(mode, corpus, out), null, units);
      start = System.nanoTime();
      // The task drops its context when it ends: keep it, to read Error Prone's timings afterwards.
      Object context = contextOf(task);
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      try {
        task.call();
      } catch (RuntimeException | Error e) {
        crashes[0]++;
        firstErrors.add("javac threw " + e);
      }
      nanos = System.nanoTime() - start;
      cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      self = lifeguardTime(context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(nanos, cpu, self, errors[0], findings, crashes[0], firstErrors);
  }

  /**
   * Peak resident memory, in KiB, of the same compile run as a separate, cold {@code javac} process of this JDK
   * (measured by {@code /usr/bin/time}); -1 when that tool is missing.
   */
  public long forkedPeakRss(Corpus corpus, Mode mode, Path out) {
    Path time = Path.of("/usr/bin/time");
    if (!Files.isExecutable(time)) {
      return -1;
    }
    try {
      Files.createDirectories(out);
      Path argFile = out.resolve("javac.args");
      List<String> args = new ArrayList<>();
      for (String o : options(mode, corpus, out)) {
        args.add(quote(o));
      }
      for (Path f : corpus.files()) {
        args.add(quote(f.toAbsolutePath().toString()));
      }
      Files.write(argFile, args);
      Path rss = out.resolve("rss.txt");
      List<String> cmd = new ArrayList<>(List.of(time.toString(), "-f", "%M", "-o", rss.toString(),
          Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-J-Xss4m"));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-exports") || a.startsWith("--add-opens")) {
          cmd.add("-J" + a);
        }
      }
      cmd.add("@" + argFile);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("javac.log").toFile()).start();
      p.waitFor();
      List<String> lines = Files.readAllLines(rss);
      return Long.parseLong(lines.get(lines.size() - 1).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
