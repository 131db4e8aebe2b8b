package dev.lifeguard.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A set of Java sources compiled as one javac invocation, with the class path they need.
 *
 * @param name short name used in reports
 * @param files the source files
 * @param classpath the compile class path (may be empty)
 * @param lines physical lines of all files (comments and blank lines included)
 */
public record Corpus(String name, List<Path> files, String classpath, long lines) {

  /** All {@code .java} files under {@code roots} (except module descriptors), counted. */
  public static Corpus of(String name, String classpath, Path... roots) {
    List<Path> files = new ArrayList<>();
    long lines = 0;
    for (Path root : roots) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("module-info.java"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Path f : files) {
      lines += countLines(f);
    }
    return new Corpus(name, List.copyOf(files), classpath, lines);
  }

  /** Physical lines of a file. */
  public static long countLines(Path f) {
    try (Stream<String> s = Files.lines(f)) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UncheckedIOException e) {
      try {
        return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).lines().count();
      } catch (IOException e2) {
        throw new UncheckedIOException(e2);
      }
    }
  }
}
