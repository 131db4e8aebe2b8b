package dev.lifeguard.checker.analysis;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;

/** Test-only check: reports which engine analysed each method ("engine walk" or "engine cfg"). */
@BugPattern(summary = "Lifeguard analysis engine", severity = WARNING)
public final class EngineChecker extends BugChecker implements MethodTreeMatcher {
  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
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
