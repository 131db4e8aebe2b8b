package dev.lifeguard.checker;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.lifeguard.checker.analysis.Vocabulary;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** The shapes the guard vocabulary must have to mean anything to the analysis; one message per malformed use. */
final class GuardDeclarations {
  private GuardDeclarations() {}

  /** What is wrong with the guard annotations on {@code m}, or null. */
  static @Nullable String problem(MethodSymbol m, VisitorState state) {
    boolean enter = Vocabulary.has(m, Vocabulary.ENTER);
    boolean exit = Vocabulary.has(m, Vocabulary.EXIT);
    int tokens = 0;
    for (VarSymbol p : m.getParameters()) {
      if (Vocabulary.has(p, Vocabulary.TOKEN)) {
        tokens++;
      }
    }
    String name = "`" + m.owner.getSimpleName() + "." + m.getSimpleName() + "`";
    if (enter && exit) {
      return name + " is both @Enter and @Exit; a guard method opens a section or ends one";
    }
    if (tokens > 0 && !enter && !exit) {
      return name + " has a @Token parameter but is neither @Enter nor @Exit: the token would match nothing";
    }
    if (tokens > 1) {
      return name + " has " + tokens + " @Token parameters; a section has exactly one token";
    }
    if (enter) {
      Type ret = m.getReturnType();
      if (ret.getKind() == TypeKind.BOOLEAN) {
        return tokens == 1 ? null : name + " is @Enter and returns boolean, so it is the explicit form, which needs"
            + " one @Token parameter to receive the section's token (the kernel's int idx)";
      }
      if (tokens == 0 && isAutoCloseable(ret, state) && hasEnteredQuery(ret)) {
        return null;
      }
      return name + " is @Enter but returns " + ret + ": an enter returns boolean (with a @Token parameter) or an"
          + " AutoCloseable section whose boolean query is @Entered (the scoped form)";
    }
    if (exit && tokens != 1) {
      return name + " is @Exit but has no @Token parameter: an exit must name the token of the enter it ends";
    }
    if (Vocabulary.has(m, Vocabulary.ENTERED)
        && (m.getReturnType().getKind() != TypeKind.BOOLEAN || !m.getParameters().isEmpty() || m.isStatic())) {
      return name + " is @Entered but is not a boolean instance query without parameters";
    }
    return null;
  }

  private static boolean isAutoCloseable(Type t, VisitorState state) {
    Type ac = state.getTypeFromString("java.lang.AutoCloseable");
    return ac != null && state.getTypes().isSubtype(state.getTypes().erasure(t), ac);
  }

  private static boolean hasEnteredQuery(Type t) {
    if (!(t.tsym instanceof ClassSymbol cs)) {
      return false;
    }
    for (Symbol s : cs.getEnclosedElements()) {
      if (s instanceof MethodSymbol q && Vocabulary.has(q, Vocabulary.ENTERED)) {
        return true;
      }
    }
    return false;
  }
}
