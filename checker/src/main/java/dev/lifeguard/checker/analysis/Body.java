package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import org.jspecify.annotations.Nullable;

/**
 * One analysed body: a method, or a lambda with how it runs relative to its creator.
 *
 * @param tree the {@code MethodTree} or {@code LambdaExpressionTree}
 * @param name a short name for messages ("`setPlane`", "the lambda passed to Workqueue.queueWork")
 * @param context the context it runs in
 * @param mode how a lambda runs (METHOD for methods)
 * @param modeReason why a lambda runs later or now, for messages
 * @param parent the enclosing body of a lambda
 */
public record Body(
    Tree tree, String name, CodeContext context, Mode mode, String modeReason, @Nullable Body parent) {
  /** How a body runs relative to the code that creates it. */
  public enum Mode {
    /** A method. */
    METHOD,
    /** A lambda run before the creating call returns, inheriting its sections. */
    RUNS_NOW,
    /** A lambda run inside a section opened by the callee ({@code @InSection}). */
    IN_SECTION,
    /** A lambda kept and run later: no sections are inherited. */
    RUNS_LATER
  }

  public String debugPrint() {
    return "(body " + name + " " + mode + " " + context.debugPrint() + ")";
  }
}
