package dev.lifeguard.checker.analysis;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An expression as {@link LifetimeRules} sees it, whichever engine evaluated it (a CFG node or a tree): what it
 * is, its facts at the point of use, and how it is named in messages. Immutable.
 *
 * @param tree its source tree (null for an implicit {@code this} or a node javac synthesised)
 * @param value its lifetime facts at the point of use
 * @param fixedText its text for messages when that is not its tree's source text (else null: the tree is printed
 *     only if a message asks, which is rare)
 * @param type its static type, if known
 * @param shape what kind of expression it is
 * @param symbol the variable of a local or field read
 * @param receiver the object a field is read through (null for a static field)
 */
record Operand(
    @Nullable Tree tree,
    LifetimeValue value,
    @Nullable String fixedText,
    @Nullable Type type,
    Shape shape,
    @Nullable Symbol symbol,
    @Nullable Operand receiver) {

  /** The shapes the rules tell apart. */
  enum Shape {
    LOCAL,
    FIELD,
    /** {@code this} written in the source. */
    THIS,
    /** The receiver of an unqualified field read or instance call. */
    IMPLICIT_THIS,
    OTHER
  }

  /** Its source text, for messages. */
  String text() {
    return fixedText != null ? fixedText : tree != null ? print(tree) : "this";
  }

  /** What javac's printer gives for a tree, without the printer for the names and selections sections use. */
  private static String print(Tree t) {
    if (t instanceof IdentifierTree id) {
      return id.getName().toString();
    }
    if (t instanceof MemberSelectTree ms && ms.getExpression() instanceof IdentifierTree owner) {
      return owner.getName() + "." + ms.getIdentifier();
    }
    return t.toString();
  }

  boolean isThis() {
    return shape == Shape.THIS || shape == Shape.IMPLICIT_THIS;
  }

  /**
   * The key of a section token held in this expression: a local's symbol; a field's symbol, paired with its
   * receiver's key unless that is {@code this} or the field is static ({@code a.idx} and {@code b.idx} are two
   * tokens); else the tree.
   */
  @Nullable Object key() {
    return switch (shape) {
      case LOCAL -> symbol;
      case FIELD -> {
        Object recv = receiver == null || receiver.isThis() ? null : receiver.key();
        yield recv == null ? symbol : List.of(recv, symbol);
      }
      default -> tree;
    };
  }
}
