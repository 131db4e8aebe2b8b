package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Body;
import dev.lifeguard.checker.analysis.Event;
import dev.lifeguard.checker.analysis.Event.BindingUse;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;

/**
 * A {@link BugChecker} that flags binding-scoped values (devres memory, hardware resources) used in
 * user-reachable code outside a successful enter section (rule R2).
 *
 * <pre>{@code
 * public int handle(DrmFile f, long arg) { regs.writel(0x10, 1); return 0; }   // no enter section
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Binding-scoped value used in user-reachable code outside a successful enter section",
    severity = ERROR,
    link = Findings.DOCS + "UnguardedDevresAccess.md",
    linkType = CUSTOM)
public final class UnguardedDevresAccess extends AnalysisCheck {

  @Inject
  public UnguardedDevresAccess() {}

  @Override
  void report(AnalysisResult result, VisitorState state) {
    LifetimeAnalysis analysis = LifetimeAnalysis.instance(state);
    for (BindingUse u : result.events(BindingUse.class)) {
      // Drm teardown (the release hook, drmm actions) must not touch hardware at all: WrongWayLifetime's.
      if (!u.body().context().isUserReachable() || u.guard() == Event.Guard.HELD || u.body().context().isDrmTeardown()) {
        continue;
      }
      if (Findings.suppressed(this, state, u.tree())) {
        continue;
      }
      state.reportMatch(
          buildDescription(u.tree())
              .setMessage(message(u, state))
              .addFix(wrapInGuard(u, state, analysis.vocabulary()))
              .build());
    }
  }

  /** The one place that writes this check's message. */
  private static String message(BindingUse u, VisitorState state) {
    Body b = u.body();
    String value = Findings.src(state, u.valueTree());
    StringBuilder m = new StringBuilder();
    m.append('`').append(value).append("` is binding-scoped (").append(u.value().binding().text())
        .append(": released at unbind) but ");
    if (b.mode() == Body.Mode.METHOD) {
      m.append(b.context().describe());
    } else {
      m.append(b.name()).append(" is user-reachable");
      if (!b.context().why().isEmpty()) {
        m.append(" (").append(b.context().why()).append(')');
      }
    }
    switch (u.guard()) {
      case MAYBE ->
          m.append(", and a section is held here only on some paths (not on the failure branch of enter, nor after exit)");
      case NONE -> {
        if (b.mode() == Body.Mode.RUNS_LATER) {
          m.append(", and the lambda runs later (").append(b.modeReason())
              .append("), so it does not inherit any section held where it was created");
        } else {
          m.append(", and no section is held here");
        }
      }
      case HELD -> {}
    }
    m.append("; use it inside a successful enter section: "
        + "if (!drm.enter(idx)) return ...; try { ... } finally { drm.exit(idx); }");
    return m.toString();
  }

  /**
   * Wraps the statement in the explicit guard. The explicit pair is the kernel's own idiom
   * ({@code drm_dev_enter}/{@code drm_dev_exit}) and leaves the statement's control flow visible; the fix is offered
   * only for a statement directly in a block of a method, with a device expression in scope.
   */
  private static Optional<SuggestedFix> wrapInGuard(BindingUse u, VisitorState state, Vocabulary vocab) {
    TreePath path = Findings.pathTo(state, u.tree());
    if (path == null) {
      return Optional.empty();
    }
    TreePath stmtPath = path;
    while (stmtPath.getParentPath() != null && !(stmtPath.getParentPath().getLeaf() instanceof BlockTree)) {
      Tree parent = stmtPath.getParentPath().getLeaf();
      if (parent instanceof LambdaExpressionTree || parent instanceof MethodTree) {
        return Optional.empty();
      }
      stmtPath = stmtPath.getParentPath();
    }
    if (!(stmtPath.getLeaf() instanceof StatementTree stmt) || stmt instanceof VariableTree) {
      return Optional.empty();
    }
    Type returnType = null;
    MethodTree method = null;
    for (TreePath p = stmtPath; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree) {
        return Optional.empty();
      }
      if (p.getLeaf() instanceof MethodTree mt) {
        method = mt;
        MethodSymbol ms = ASTHelpers.getSymbol(mt);
        returnType = ms == null ? null : ms.getReturnType();
        break;
      }
    }
    if (method == null) {
      return Optional.empty();
    }
    Optional<String> device = Findings.deviceInScope(state, stmtPath, vocab);
    if (device.isEmpty()) {
      return Optional.empty();
    }
    Type deviceType = deviceType(device.get(), stmtPath, state);
    if (deviceType == null || !(deviceType.tsym instanceof ClassSymbol dc)) {
      return Optional.empty();
    }
    Optional<MethodSymbol> enter = vocab.explicitEnter(dc);
    Optional<MethodSymbol> exit = vocab.exitMethod(dc);
    if (enter.isEmpty() || exit.isEmpty()) {
      return Optional.empty();
    }
    for (TreePath p = stmtPath; p != null && p.getLeaf() != method; p = p.getParentPath()) {
      if (p.getLeaf() instanceof com.sun.source.tree.SwitchExpressionTree) {
        return Optional.empty(); // an early `return` is not allowed inside a switch expression
      }
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    Type tokenType = enter.get().getParameters().get(Vocabulary.tokenIndex(enter.get())).type;
    String tokenTypeName = SuggestedFixes.qualifyType(state, fix, tokenType);
    String newToken;
    if (tokenType instanceof Type.ArrayType at) { // an out-parameter array, as C's int *idx
      newToken = "new " + SuggestedFixes.qualifyType(state, fix, at.elemtype) + "[1]";
    } else if (tokenType.tsym instanceof ClassSymbol tc && !tc.isInterface() && !tc.isAbstract()
        && tc.getEnclosedElements().stream().anyMatch(e -> e instanceof MethodSymbol c && c.isConstructor()
            && c.getParameters().isEmpty())) {
      newToken = "new " + tokenTypeName + "()";
    } else {
      return Optional.empty(); // a token we do not know how to make
    }
    String idx = freshName(method, "idx");
    String ind = Findings.indentOf(state, stmt);
    String d = device.get().equals("this") ? "" : device.get() + ".";
    String body = Findings.src(state, stmt).replace("\n", "\n  ");
    String text =
        tokenTypeName + " " + idx + " = " + newToken + ";\n"
            + ind + "if (!" + d + enter.get().getSimpleName() + "(" + idx + ")) {\n"
            + ind + "  " + Findings.earlyReturn(returnType) + "\n"
            + ind + "}\n"
            + ind + "try {\n"
            + ind + "  " + body + "\n"
            + ind + "} finally {\n"
            + ind + "  " + d + exit.get().getSimpleName() + "(" + idx + ");\n"
            + ind + "}";
    fix.replace(stmt, text);
    return Optional.of(fix.build());
  }

  private static Type deviceType(String name, TreePath path, VisitorState state) {
    if (name.equals("this")) {
      for (TreePath p = path; p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof com.sun.source.tree.ClassTree c) {
          return ASTHelpers.getType(c);
        }
      }
      return null;
    }
    Type[] found = {null};
    // Resolve the name as the compiler would at this statement.
    for (TreePath p = path; p != null && found[0] == null; p = p.getParentPath()) {
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree v, Void unused) {
          if (found[0] == null && v.getName().contentEquals(name)) {
            found[0] = ASTHelpers.getType(v);
          }
          return null;
        }
      }.scan(p.getLeaf() instanceof MethodTree m ? m.getParameters() : java.util.List.of(), null);
      if (p.getLeaf() instanceof BlockTree b) {
        for (StatementTree s : b.getStatements()) {
          if (s instanceof VariableTree v && v.getName().contentEquals(name)) {
            found[0] = ASTHelpers.getType(v);
          }
        }
      }
      if (p.getLeaf() instanceof com.sun.source.tree.ClassTree c) {
        for (Tree m : c.getMembers()) {
          if (m instanceof VariableTree v && v.getName().contentEquals(name)) {
            found[0] = ASTHelpers.getType(v);
          }
        }
      }
    }
    return found[0];
  }

  private static String freshName(MethodTree method, String base) {
    Set<String> used = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree t, Void v) {
        used.add(t.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree t, Void v) {
        used.add(t.getName().toString());
        return super.visitVariable(t, v);
      }
    }.scan(method, null);
    String n = base;
    for (int i = 2; used.contains(n); i++) {
      n = base + i;
    }
    return n;
  }
}
