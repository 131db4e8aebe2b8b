package dev.lifeguard.checker.analysis;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;

/** Test-only check: reports the analysis result of every analysed body as a warning, for assertions. */
@BugPattern(summary = "Lifeguard analysis debug print", severity = WARNING)
public final class DebugChecker extends BugChecker implements MethodTreeMatcher, LambdaExpressionTreeMatcher {
  static boolean unchecked = false;

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    return print(state);
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    return print(state);
  }

  private Description print(VisitorState state) {
    var pkg = state.getPath().getCompilationUnit().getPackageName();
    if (pkg != null && pkg.toString().startsWith("dev.lifeguard.runtime")) {
      return Description.NO_MATCH;
    }
    AnalysisResult r = LifetimeAnalysis.instance(state).analyze(state.getPath(), unchecked);
    if (r.bodies().isEmpty()) {
      return Description.NO_MATCH;
    }
    String text = r.debugPrint().replace('\n', ' ');
    if (Boolean.getBoolean("lifeguard.print")) {
      System.err.println(text);
    }
    return buildDescription(state.getPath().getLeaf()).setMessage(text).build();
  }
}
