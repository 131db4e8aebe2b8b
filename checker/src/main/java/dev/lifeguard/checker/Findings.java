package dev.lifeguard.checker;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.Optional;
import javax.lang.model.element.Name;
import org.jspecify.annotations.Nullable;

/** Helpers the checks share: suppression inside a matched tree, source text, a device expression in scope. */
final class Findings {
  /** Where each check's page lives, relative to the Lifeguard source tree (the project has no website). */
  static final String DOCS = "docs/checks/";

  private Findings() {}

  /**
   * True when {@code tree}, found while analysing the tree matched at {@code state.getPath()}, sits in a
   * declaration (a local, a field, a nested class or method) that suppresses {@code checker}.
   */
  static boolean suppressed(BugChecker checker, VisitorState state, Tree tree) {
    TreePath path = pathTo(state, tree);
    return path != null && suppressed(checker, state, path);
  }

  /**
   * True when the tree at {@code path}, which lies inside the tree matched at {@code state.getPath()}, sits in a
   * declaration that suppresses {@code checker}. Error Prone asked for the matched tree and those around it.
   */
  static boolean suppressed(BugChecker checker, VisitorState state, TreePath path) {
    Tree root = state.getPath().getLeaf();
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if ((t instanceof VariableTree || t instanceof MethodTree || t instanceof ClassTree)
          && suppresses(checker, t, state)) {
        return true;
      }
      if (t == root) {
        break;
      }
    }
    return false;
  }

  /**
   * Whether the declaration {@code decl} suppresses {@code checker}, as {@link BugChecker#isSuppressed} answers,
   * without asking it where it cannot: Error Prone reads a method's or variable's own annotations (they are not
   * inherited), and only {@code @SuppressWarnings}, {@code @SuppressLint}, {@code @Generated} and a check's custom
   * suppression annotations (Lifeguard's checks declare none) can suppress. The checks ask this of every method
   * of every class they match, and Error Prone's answer builds the suppression state from scratch each time.
   */
  static boolean suppresses(BugChecker checker, Tree decl, VisitorState state) {
    Symbol sym = ASTHelpers.getDeclaredSymbol(decl);
    if (sym instanceof MethodSymbol || sym instanceof Symbol.VarSymbol) {
      boolean maySuppress = false;
      for (Attribute.Compound a : sym.getRawAttributes()) {
        Name n = a.type.tsym.getSimpleName();
        maySuppress |= n.contentEquals("SuppressWarnings") || n.contentEquals("SuppressLint")
            || n.contentEquals("Generated");
      }
      if (!maySuppress) {
        return false;
      }
    }
    return checker.isSuppressed(decl, state);
  }

  static @Nullable TreePath pathTo(VisitorState state, Tree tree) {
    return TreePath.getPath(state.getPath(), tree);
  }

  static String src(VisitorState state, Tree t) {
    String s = state.getSourceForNode(t);
    return s != null ? s : t.toString();
  }

  /**
   * A drm device expression usable at {@code path}: {@code this} in a device type, a parameter, a local declared
   * earlier in an enclosing block, or a field of the enclosing class, whose type has an {@code @Enter} method.
   */
  static Optional<String> deviceInScope(VisitorState state, TreePath path, Vocabulary vocab) {
    boolean isStatic = false;
    Tree prev = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof BlockTree b) {
        for (StatementTree s : b.getStatements()) {
          if (s == prev) {
            break;
          }
          if (s instanceof VariableTree v && vocab.isDeviceType(ASTHelpers.getType(v))) {
            return Optional.of(v.getName().toString());
          }
        }
      } else if (t instanceof LambdaExpressionTree l) {
        for (VariableTree v : l.getParameters()) {
          if (vocab.isDeviceType(ASTHelpers.getType(v))) {
            return Optional.of(v.getName().toString());
          }
        }
      } else if (t instanceof MethodTree m) {
        for (VariableTree v : m.getParameters()) {
          if (vocab.isDeviceType(ASTHelpers.getType(v))) {
            return Optional.of(v.getName().toString());
          }
        }
        MethodSymbol ms = ASTHelpers.getSymbol(m);
        isStatic = ms != null && ms.isStatic();
      } else if (t instanceof ClassTree c) {
        ClassSymbol cs = ASTHelpers.getSymbol(c);
        if (cs == null || isStatic) {
          return Optional.empty();
        }
        if (vocab.isDeviceType(cs.type)) {
          return Optional.of("this");
        }
        for (Symbol member : cs.getEnclosedElements()) {
          if (member.getKind() == javax.lang.model.element.ElementKind.FIELD
              && !member.isStatic()
              && vocab.isDeviceType(member.type)) {
            return Optional.of(member.getSimpleName().toString());
          }
        }
        return Optional.empty();
      }
      prev = t;
    }
    return Optional.empty();
  }

  /** The whitespace before {@code t} on its line. */
  static String indentOf(VisitorState state, Tree t) {
    CharSequence src = state.getSourceCode();
    int pos = ((JCTree) t).getStartPosition();
    if (src == null || pos < 0) {
      return "";
    }
    int start = pos;
    while (start > 0 && src.charAt(start - 1) != '\n') {
      start--;
    }
    String lead = src.subSequence(start, pos).toString();
    return lead.isBlank() ? lead : "";
  }

  /** A simple early-return value for a method returning {@code t}. */
  static String earlyReturn(@Nullable Type t) {
    if (t == null || t.getKind() == javax.lang.model.type.TypeKind.VOID) {
      return "return;";
    }
    return switch (t.getKind()) {
      case BOOLEAN -> "return false;";
      case INT, LONG, SHORT, BYTE -> "return -19; // -ENODEV: the device is gone";
      case FLOAT, DOUBLE, CHAR -> "return 0;";
      default -> "return null;";
    };
  }
}
