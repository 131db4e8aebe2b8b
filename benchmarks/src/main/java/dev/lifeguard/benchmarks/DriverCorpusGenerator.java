package dev.lifeguard.benchmarks;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.PackageDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.Name;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.SimpleName;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Corpus (b): a driver code base of a chosen size, made by cloning the sample drivers with JavaParser. Copy {@code k}
 * moves every sample package {@code dev.lifeguard.samples.X} to {@code dev.lifeguard.gen.ck.X} and renames every
 * top-level sample type {@code T} to {@code TCk}, rewriting declarations, constructors, imports and references.
 * The code stays the sample drivers' code: the same dense use of the lifetime vocabulary, at scale.
 */
public final class DriverCorpusGenerator {
  private static final String FROM = "dev.lifeguard.samples";
  private final List<CompilationUnit> originals = new ArrayList<>();
  private final Set<String> typeNames = new HashSet<>();

  /** Parses the sample drivers under {@code sampleRoot}. */
  public DriverCorpusGenerator(Path sampleRoot) {
    JavaParser parser = new JavaParser(
        new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    try (Stream<Path> s = Files.walk(sampleRoot)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        ParseResult<CompilationUnit> r = parser.parse(f);
        CompilationUnit cu = r.getResult().filter(x -> r.isSuccessful())
            .orElseThrow(() -> new IllegalStateException("cannot parse " + f + ": " + r.getProblems()));
        originals.add(cu);
        for (TypeDeclaration<?> t : cu.getTypes()) {
          typeNames.add(t.getNameAsString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes copies into {@code out} until at least {@code targetLines} lines are written; returns the root. */
  public Path generate(Path out, long targetLines) {
    try {
      deleteRecursively(out);
      long written = 0;
      for (int k = 0; written < targetLines; k++) {
        for (CompilationUnit original : originals) {
          CompilationUnit cu = original.clone();
          rename(cu, k);
          String pkg = cu.getPackageDeclaration().map(PackageDeclaration::getNameAsString).orElse("");
          String file = cu.getTypes().isEmpty() ? "package-info.java" : cu.getType(0).getNameAsString() + ".java";
          Path dir = out.resolve(pkg.replace('.', '/'));
          Files.createDirectories(dir);
          String text = cu.toString();
          Files.writeString(dir.resolve(file), text);
          written += text.lines().count();
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void rename(CompilationUnit cu, int k) {
    String to = "dev.lifeguard.gen.c" + k;
    String suffix = "C" + k;
    cu.getPackageDeclaration().ifPresent(p -> p.setName(movePackage(p.getNameAsString(), to)));
    for (ImportDeclaration i : cu.getImports()) {
      String n = i.getNameAsString();
      if (n.startsWith(FROM)) {
        String moved = movePackage(n, to);
        int dot = moved.lastIndexOf('.');
        String last = moved.substring(dot + 1);
        if (!i.isAsterisk() && typeNames.contains(last)) {
          moved = moved.substring(0, dot + 1) + last + suffix;
        }
        i.setName(new Name(moved));
      }
    }
    for (SimpleName sn : cu.findAll(SimpleName.class)) {
      if (!typeNames.contains(sn.getIdentifier())) {
        continue;
      }
      Node parent = sn.getParentNode().orElse(null);
      if (parent instanceof TypeDeclaration<?> t && t.isTopLevelType()
          || parent instanceof ConstructorDeclaration
          || parent instanceof ClassOrInterfaceType
          || parent instanceof NameExpr) {
        sn.setIdentifier(sn.getIdentifier() + suffix);
      }
    }
  }

  private static String movePackage(String name, String to) {
    return name.startsWith(FROM) ? to + name.substring(FROM.length()) : name;
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
