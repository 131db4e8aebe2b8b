package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One analysed body: a method, or a lambda with how it runs relative to its creator. Its name and the reason for
 * its mode are text for messages, so they are built only when a message asks for them.
 *
 * <pre>{@code
 * Body m = new Body(methodTree, () -> "`setPlane`", ctx, Body.Mode.METHOD, () -> "", null);
 * }</pre>
 */
public final class Body {
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

  private final Tree tree;
  private final CodeContext context;
  private final Mode mode;
  private final @Nullable Body parent;
  private @Nullable Supplier<String> nameText;
  private @Nullable Supplier<String> reasonText;
  private @Nullable String name;
  private @Nullable String modeReason;

  /**
   * @param tree the {@code MethodTree} or {@code LambdaExpressionTree}
   * @param name a short name for messages ("`setPlane`", "the lambda passed to Workqueue.queueWork")
   * @param context the context it runs in
   * @param mode how a lambda runs (METHOD for methods)
   * @param modeReason why a lambda runs later or now, for messages
   * @param parent the enclosing body of a lambda
   */
  public Body(Tree tree, Supplier<String> name, CodeContext context, Mode mode, Supplier<String> modeReason,
      @Nullable Body parent) {
    this.tree = tree;
    this.nameText = name;
    this.context = context;
    this.mode = mode;
    this.reasonText = modeReason;
    this.parent = parent;
  }

  public Tree tree() {
    return tree;
  }

  public CodeContext context() {
    return context;
  }

  public Mode mode() {
    return mode;
  }

  public @Nullable Body parent() {
    return parent;
  }

  /** A short name for messages. */
  public String name() {
    if (name == null) {
      name = nameText.get();
      nameText = null;
    }
    return name;
  }

  /** Why a lambda runs later or now, for messages. */
  public String modeReason() {
    if (modeReason == null) {
      modeReason = reasonText.get();
      reasonText = null;
    }
    return modeReason;
  }

  public String debugPrint() {
    return "(body " + name() + " " + mode + " " + context.debugPrint() + ")";
  }

  @Override
  public String toString() {
    return debugPrint();
  }
}
