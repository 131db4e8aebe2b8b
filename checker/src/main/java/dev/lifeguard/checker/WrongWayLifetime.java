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
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Body;
import dev.lifeguard.checker.analysis.Event.BindingUse;
import dev.lifeguard.checker.analysis.Event.Call;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} for wrong-way lifetimes (rule R4): hardware (binding-scoped values) used by code that
 * runs in drm teardown, after unbind (the release hook and drm-managed actions, with or without a section), and
 * drm-lifetime state cleaned up by a devres action, which runs at unbind while userspace still reaches it.
 *
 * <pre>{@code
 * Drmm.addActionOrReset(drm, d -> regs.writel(CTRL, 0));   // runs at the final put, after unbind
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Teardown registered with the wrong lifetime: hardware in drm teardown, or drm state in devres",
    severity = ERROR,
    link = Findings.DOCS + "WrongWayLifetime.md",
    linkType = CUSTOM)
public final class WrongWayLifetime extends AnalysisCheck {

  @Inject
  public WrongWayLifetime() {}

  @Override
  void report(AnalysisResult result, VisitorState state) {
    Set<Body> fixed = new HashSet<>();
    for (BindingUse u : result.events(BindingUse.class)) {
      Body b = u.body();
      if (!b.context().isDrmTeardown() || Findings.suppressed(this, state, u.tree())) {
        continue;
      }
      Optional<SuggestedFix> fix = fixed.add(b) ? switchToDevres(b, state) : Optional.empty();
      state.reportMatch(buildDescription(u.tree()).setMessage(hardwareMessage(u, state)).addFix(fix).build());
    }
    for (Call c : result.events(Call.class)) {
      if (Vocabulary.has(c.method(), Vocabulary.TOUCHES_HARDWARE) && c.body().context().isDrmTeardown()
          && !Findings.suppressed(this, state, c.tree())) {
        state.reportMatch(buildDescription(c.tree()).setMessage(hardwareCallMessage(c, state)).build());
        continue;
      }
      Optional<String> resource = Vocabulary.stringValue(c.method(), Vocabulary.CLEANS_UP);
      if (resource.isEmpty() || !c.body().context().isDevresAction()
          || Findings.suppressed(this, state, c.tree())) {
        continue;
      }
      String call = "`" + Findings.src(state, c.tree()) + "`";
      state.reportMatch(buildDescription(c.tree())
          .setMessage(call + " cleans up the drm-lifetime resource \"" + resource.get() + "\" in "
              + c.body().context().describe() + ": userspace still reaches the drm device after unbind (open fds,"
              + " exported dma-bufs), and its callbacks use this state until the final drm put, so they run on"
              + " freed state; tie the cleanup to the drm device instead (the drm-managed init that registers it,"
              + " or a drmm action)")
          .build());
    }
  }

  /** A call that programs the hardware (C2: drm_atomic_helper_shutdown from the release hook). */
  private static String hardwareCallMessage(Call c, VisitorState state) {
    Body b = c.body();
    return "`" + Findings.src(state, c.tree()) + "` programs the hardware through the driver's paths, but "
        + (b.mode() == Body.Mode.METHOD ? b.context().describe()
            : b.name() + " is " + (b.context().isDrmAction() ? "a drm-managed action" : "the release hook")
                + " (" + b.context().why() + ")")
        + ": drm teardown runs at the final drm put, after unbind, when the hardware is gone and the driver's"
        + " guarded paths skip the work (the display stays on); call it from remove() or a devres action, which"
        + " run while the device is still bound";
  }

  /** The one place that writes the hardware-in-drm-teardown message. */
  private static String hardwareMessage(BindingUse u, VisitorState state) {
    Body b = u.body();
    String value = Findings.src(state, u.valueTree());
    StringBuilder m = new StringBuilder();
    m.append('`').append(value).append("` is binding-scoped (").append(u.value().binding().text())
        .append(": released at unbind) but ");
    if (b.mode() == Body.Mode.METHOD) {
      m.append(b.context().describe());
    } else {
      m.append(b.name()).append(" is ").append(b.context().isDrmAction() ? "a drm-managed action" : "the release hook")
          .append(" (").append(b.context().why()).append(')');
    }
    m.append(": drm teardown runs at the final drm put, which comes after unbind once the last fd or dma-buf"
        + " is gone, when the hardware is gone too; a section does not help, it only skips the work. ");
    if (b.context().isDrmAction()) {
      m.append("Hardware teardown belongs to the binding: register it as a devres action (the @Counterpart of"
          + " the drmm registration, on the bus device, e.g. Devm.addActionOrReset(drm.parent(), ...)), which runs"
          + " at unbind while the device is still bound");
    } else {
      m.append("The release hook must not touch hardware: do this in remove() or in a devres action, which run"
          + " at unbind while the device is still bound");
    }
    return m.toString();
  }

  /**
   * The drmm to devm switch: when {@code b} is a lambda passed to a registration with a {@code @Counterpart},
   * replaces the call with the counterpart on a bus device in scope, and drops the lambda's drm parameter (the
   * devres action takes none; its uses become the drm expression passed to the registration).
   */
  private static Optional<SuggestedFix> switchToDevres(Body b, VisitorState state) {
    try {
      return switchToDevresOrThrow(b, state);
    } catch (RuntimeException e) {
      return Optional.empty(); // no fix rather than a javac crash
    }
  }

  private static Optional<SuggestedFix> switchToDevresOrThrow(Body b, VisitorState state) {
    if (!(b.tree() instanceof LambdaExpressionTree lambda)) {
      return Optional.empty();
    }
    TreePath lp = Findings.pathTo(state, lambda);
    if (lp == null) {
      return Optional.empty();
    }
    TreePath p = lp.getParentPath();
    Tree child = lambda;
    while (p != null && (p.getLeaf().getKind() == Tree.Kind.PARENTHESIZED || p.getLeaf() instanceof TypeCastTree)) {
      child = p.getLeaf();
      p = p.getParentPath();
    }
    if (p == null || !(p.getLeaf() instanceof MethodInvocationTree call) || !call.getArguments().contains(child)) {
      return Optional.empty();
    }
    MethodSymbol m = ASTHelpers.getSymbol(call);
    Optional<String> cp = Vocabulary.stringValue(m, Vocabulary.COUNTERPART);
    if (m == null || cp.isEmpty() || !cp.get().contains("#") || call.getArguments().isEmpty()) {
      return Optional.empty();
    }
    String owner = cp.get().substring(0, cp.get().indexOf('#'));
    String name = cp.get().substring(cp.get().indexOf('#') + 1);
    Symbol cls = state.getSymbolFromString(owner);
    if (!(cls instanceof ClassSymbol cs)) {
      return Optional.empty();
    }
    MethodSymbol target = null;
    for (Symbol s : cs.getEnclosedElements()) {
      if (s instanceof MethodSymbol ms && ms.getSimpleName().contentEquals(name)
          && ms.getParameters().size() == m.getParameters().size()) {
        target = ms;
      }
    }
    if (target == null) {
      return Optional.empty();
    }
    ExpressionTree drmArg = call.getArguments().get(0);
    Optional<String> dev = busDevice(state, p, drmArg, target.getParameters().get(0).type);
    if (dev.isEmpty()) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String qualified = SuggestedFixes.qualifyType(state, fix, cs);
    // The devres action takes no parameter: drop the lambda's, rewriting its uses to the registration's drm.
    if (lambda.getParameters().size() == 1) {
      VariableTree param = lambda.getParameters().get(0);
      Symbol ps = ASTHelpers.getSymbol(param);
      List<IdentifierTree> uses = new ArrayList<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree t, Void v) {
          if (ASTHelpers.getSymbol(t) == ps) {
            uses.add(t);
          }
          return null;
        }
      }.scan(lambda.getBody(), null);
      if (!uses.isEmpty() && !(drmArg instanceof IdentifierTree)) {
        return Optional.empty();
      }
      for (IdentifierTree t : uses) {
        fix.replace(t, Findings.src(state, drmArg));
      }
      int start = ((com.sun.tools.javac.tree.JCTree) lambda).getStartPosition();
      int arrow = state.getSourceForNode(lambda).indexOf("->");
      if (arrow < 0) {
        return Optional.empty();
      }
      fix.replace(start, start + arrow, "() ");
    } else if (!lambda.getParameters().isEmpty()) {
      return Optional.empty();
    }
    ExpressionTree select = call.getMethodSelect();
    fix.replace(select, qualified + "." + name);
    fix.replace(drmArg, dev.get());
    return Optional.of(fix.build());
  }

  /**
   * A bus device expression at {@code path}: a parameter or earlier local of {@code deviceType}, else a no-argument
   * accessor of the drm expression's type that returns it ({@code drm.parent()}).
   */
  private static Optional<String> busDevice(VisitorState state, TreePath path, ExpressionTree drm, Type deviceType) {
    Types types = state.getTypes();
    Tree prev = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof BlockTree blk) {
        for (StatementTree s : blk.getStatements()) {
          if (s == prev) {
            break;
          }
          if (s instanceof VariableTree v && isType(types, ASTHelpers.getType(v), deviceType)) {
            return Optional.of(v.getName().toString());
          }
        }
      } else if (t instanceof MethodTree mt) {
        for (VariableTree v : mt.getParameters()) {
          if (isType(types, ASTHelpers.getType(v), deviceType)) {
            return Optional.of(v.getName().toString());
          }
        }
        break;
      } else if (t instanceof LambdaExpressionTree) {
        break;
      }
      prev = t;
    }
    Type dt = ASTHelpers.getType(drm);
    if (dt != null && dt.tsym instanceof ClassSymbol dc) {
      for (Type st : types.closure(dc.type)) {
        if (!(st.tsym instanceof ClassSymbol sc)) {
          continue;
        }
        for (Symbol s : sc.getEnclosedElements()) {
          if (s instanceof MethodSymbol ms && ms.getParameters().isEmpty() && !ms.isStatic()
              && ms.getModifiers().contains(javax.lang.model.element.Modifier.PUBLIC)
              && isType(types, ms.getReturnType(), deviceType)) {
            return Optional.of(Findings.src(state, drm) + "." + ms.getSimpleName() + "()");
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isType(Types types, @Nullable Type t, Type want) {
    return t != null && types.isSameType(types.erasure(t), types.erasure(want));
  }
}
