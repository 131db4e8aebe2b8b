package dev.lifeguard.checker;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;

/**
 * A check that reads the shared lifetime analysis: for every method and every top-level lambda of each class it
 * gets the one cached {@link AnalysisResult} and reports from its events, through {@code state.reportMatch}, so
 * one body can give several findings.
 *
 * <pre>{@code
 * public final class UnguardedDevresAccess extends AnalysisCheck {
 *   void report(AnalysisResult result, VisitorState state) {
 *     for (BindingUse u : result.events(BindingUse.class)) { ... }
 *   }
 * }
 * }</pre>
 */
abstract class AnalysisCheck extends BugChecker implements ClassTreeMatcher {

  /**
   * Runs the check on every method of the class and every lambda outside them (field initialisers), then on the
   * class's own declaration. One matcher per class rather than one per method and one per lambda: Error Prone
   * pays for each matcher at each node it is registered for, and these checks read one shared result per body.
   * A method or field that suppresses the check is skipped, as Error Prone would skip it.
   */
  @Override
  public final Description matchClass(ClassTree tree, VisitorState state) {
    LifetimeAnalysis analysis = LifetimeAnalysis.instance(state);
    if (analysis.fileInScope(state)) {
      TreePath classPath = state.getPath();
      for (Tree member : tree.getMembers()) {
        if (member instanceof MethodTree m && !Findings.suppresses(this, m, state)) {
          VisitorState at = state.withPath(new TreePath(classPath, m));
          run(at);
          Description d = matchDeclaration(m, at);
          if (d != Description.NO_MATCH) {
            state.reportMatch(d);
          }
        }
      }
      for (TreePath lambda : analysis.topLevelLambdas(state)) {
        if (!Findings.suppressed(this, state, lambda)) {
          run(state.withPath(lambda));
        }
      }
    }
    return matchClassDeclaration(tree, state);
  }

  /**
   * Judges a method's own declaration (a malformed use of the vocabulary on it); the default finds nothing.
   * Bodies are judged from the analysis in {@link #report}.
   */
  Description matchDeclaration(MethodTree tree, VisitorState state) {
    return Description.NO_MATCH;
  }

  /** A rule on one call of a vocabulary method, judged with the state at the call. */
  interface CallRule {
    Description judge(MethodInvocationTree call, MethodSymbol m, VisitorState atCall);
  }

  /**
   * Reports what {@code rule} finds at each call, in the class at {@code state.getPath()}, of a method that
   * carries the vocabulary or registers devres (from the analysis's file scan, instead of a matcher on every call
   * of every file), unless a declaration around the call suppresses this check.
   */
  final void reportCalls(VisitorState state, CallRule rule) {
    for (TreePath path : LifetimeAnalysis.instance(state).vocabularyCalls(state)) {
      if (path.getLeaf() instanceof MethodInvocationTree call && ASTHelpers.getSymbol(call) instanceof MethodSymbol m) {
        Description d = rule.judge(call, m, state.withPath(path));
        if (d != Description.NO_MATCH && !Findings.suppressed(this, state, path)) {
          state.reportMatch(d);
        }
      }
    }
  }

  /** Judges the class itself (its fields, its calls); the default finds nothing. */
  Description matchClassDeclaration(ClassTree tree, VisitorState state) {
    return Description.NO_MATCH;
  }

  private void run(VisitorState state) {
    if (enabled()) {
      AnalysisResult result = LifetimeAnalysis.instance(state).analyze(state.getPath(), uncheckedExceptions());
      if (!result.failure().isEmpty() && reportsAnalysisFailures()) {
        // A note, not an error: the gate must not fail on code the analysis cannot follow, but the user must see it.
        state.reportMatch(buildDescription(state.getPath().getLeaf())
            .setMessage("Lifeguard could not analyse this body (" + result.failure() + "), so none of its checks"
                + " judged it; rerun javac with -J-Dlifeguard.debug=true for the stack trace, and please report it")
            .overrideSeverity(SeverityLevel.SUGGESTION)
            .build());
      }
      report(result, state);
    }
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
