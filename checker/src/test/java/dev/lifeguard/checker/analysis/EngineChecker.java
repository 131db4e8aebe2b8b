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
import com.sun.source.tree.Tree;

/**
 * Test-only check: reports which engine analysed each method or top-level lambda ("engine walk" or "engine
 * cfg"), and nothing for a body the analysis skips.
 */
@BugPattern(summary = "Lifeguard analysis engine", severity = WARNING)
public final class EngineChecker extends BugChecker implements MethodTreeMatcher, LambdaExpressionTreeMatcher {
  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    return engine(tree, state);
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    return engine(tree, state);
  }

  private Description engine(Tree tree, VisitorState state) {
    var pkg = state.getPath().getCompilationUnit().getPackageName();
    if (pkg != null && pkg.toString().startsWith("dev.lifeguard.runtime")) {
      return Description.NO_MATCH; // the test API's own sources
    }
    LifetimeAnalysis a = LifetimeAnalysis.instance(state);
    int walked = a.walkCount();
    AnalysisResult r = a.analyze(state.getPath(), false);
    if (r.bodies().isEmpty()) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree).setMessage(a.walkCount() > walked ? "engine walk" : "engine cfg").build();
  }
}
