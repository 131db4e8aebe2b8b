package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;

/** Gives tests in other packages the inline test API. */
public final class TestApiAccess {
  private TestApiAccess() {}

  public static CompilationTestHelper add(CompilationTestHelper h) {
    return TestApi.add(h);
  }

  public static com.google.testing.compile.Compilation compileWithPlugin(
      String enabled, javax.tools.JavaFileObject... sources) {
    return TestApi.compileWithPlugin(enabled, sources);
  }
}
