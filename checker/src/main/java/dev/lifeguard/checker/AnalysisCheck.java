package dev.lifeguard.checker;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;

/**
 * A check that reads the shared lifetime analysis: for every method and every top-level lambda it gets the one
 * cached {@link AnalysisResult} and reports from its events, through {@code state.reportMatch}, so one body can
 * give several findings.
 *
 * <pre>{@code
 * public final class UnguardedDevresAccess extends AnalysisCheck {
 *   void report(AnalysisResult result, VisitorState state) {
 *     for (BindingUse u : result.events(BindingUse.class)) { ... }
 *   }
 * }
 * }</pre>
 */
abstract class AnalysisCheck extends BugChecker implements MethodTreeMatcher, LambdaExpressionTreeMatcher {

  @Override
  public final Description matchMethod(MethodTree tree, VisitorState state) {
    run(state);
    return matchDeclaration(tree, state);
  }

  /**
   * Judges the method's own declaration (a malformed use of the vocabulary on it); the default finds nothing.
   * Bodies are judged from the analysis in {@link #report}.
   */
  Description matchDeclaration(MethodTree tree, VisitorState state) {
    return Description.NO_MATCH;
  }

  @Override
  public final Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    return run(state);
  }

  private Description run(VisitorState state) {
    if (enabled()) {
      AnalysisResult result = LifetimeAnalysis.instance(state).analyze(state.getPath(), uncheckedExceptions());
      if (!result.failure().isEmpty() && reportsAnalysisFailures() && !isSuppressed(state.getPath().getLeaf(), state)) {
        // A note, not an error: the gate must not fail on code the analysis cannot follow, but the user must see it.
        state.reportMatch(buildDescription(state.getPath().getLeaf())
            .setMessage("Lifeguard could not analyse this body (" + result.failure() + "), so none of its checks"
                + " judged it; rerun javac with -J-Dlifeguard.debug=true for the stack trace, and please report it")
            .overrideSeverity(SeverityLevel.SUGGESTION)
            .build());
      }
      report(result, state);
    }
    return Description.NO_MATCH;
  }

  /** Whether this check is the one that tells the user about bodies the analysis gave up on (one note each). */
  boolean reportsAnalysisFailures() {
    return false;
  }

  /** False when the check's own configuration is broken (it then reports that once, elsewhere). */
  boolean enabled() {
    return true;
  }

  /** Whether the implicit unchecked exceptions of calls count as ways out of the body. */
  boolean uncheckedExceptions() {
    return false;
  }

  /** Reports this check's findings in one body's result. */
  abstract void report(AnalysisResult result, VisitorState state);
}
