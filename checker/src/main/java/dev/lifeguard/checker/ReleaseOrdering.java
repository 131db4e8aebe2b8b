package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Body;
import dev.lifeguard.checker.analysis.Event.Call;
import dev.lifeguard.checker.analysis.Event.Free;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.Origin;
import dev.lifeguard.checker.analysis.Vocabulary;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;

/**
 * A {@link BugChecker} that flags frees that break the drm release order (rule R5, core): the release hook
 * freeing the container or drm-managed memory, a put of a devm-owned container, bound-context code freeing state
 * the drm device still reaches, and explicit frees of drm-managed memory outside the release path; and (R5, rest)
 * an explicit cleanup of what a drm-managed init already cleans up, a destroy hook on a drm-managed KMS object,
 * and a second put or free of the same local on one path.
 *
 * <pre>{@code
 * public void remove(Device dev) { drm.unplug(); drm.put(); }   // devres already owns that reference
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Free in the wrong place of the drm release order (container, drm-managed or drm-reachable state)",
    severity = ERROR,
    link = Findings.DOCS + "ReleaseOrdering.md",
    linkType = CUSTOM)
public final class ReleaseOrdering extends AnalysisCheck {


  @Inject
  public ReleaseOrdering() {}

  @Override
  void report(AnalysisResult result, VisitorState state) {
    for (Free f : result.events(Free.class)) {
      String msg = message(f, state);
      if (msg != null && !Findings.suppressed(this, state, f.tree())) {
        state.reportMatch(buildDescription(f.tree()).setMessage(msg).build());
      }
    }
    for (Call c : result.events(Call.class)) {
      String msg;
      try {
        msg = doubleCleanup(c, state);
        if (msg == null) {
          msg = destroyHook(c, state);
        }
      } catch (RuntimeException e) {
        msg = null; // symbols that cannot be completed: no finding, never a javac crash
      }
      if (msg != null && !Findings.suppressed(this, state, c.tree())) {
        state.reportMatch(buildDescription(c.tree()).setMessage(msg).build());
      }
    }
  }

  /**
   * An explicit {@code @CleansUp("x")} of a resource that a {@code @RegistersCleanup("x")} call in the same class
   * already hands to drm-managed teardown (study case D5).
   */
  private static String doubleCleanup(Call c, VisitorState state) {
    Optional<String> resource = Vocabulary.stringValue(c.method(), Vocabulary.CLEANS_UP);
    if (resource.isEmpty()) {
      return null;
    }
    ClassTree top = topClass(state);
    if (top == null) {
      return null;
    }
    Tree[] registration = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree t, Void v) {
        MethodSymbol m = ASTHelpers.getSymbol(t);
        if (registration[0] == null
            && Vocabulary.stringValue(m, Vocabulary.REGISTERS_CLEANUP).map(resource.get()::equals).orElse(false)) {
          registration[0] = t;
        }
        return super.visitMethodInvocation(t, v);
      }
    }.scan(top, null);
    if (registration[0] == null) {
      return null;
    }
    return "`" + Findings.src(state, c.tree()) + "` cleans up \"" + resource.get() + "\" explicitly, but `"
        + Findings.src(state, registration[0]) + "` already registered its cleanup as a drm-managed action, which runs"
        + " at the final drm put: the resource is cleaned up twice (and, from remove(), too early, while open fds"
        + " still use it); drop the explicit cleanup";
  }

  /**
   * A funcs object passed to a drm-managed KMS alloc or init ({@code @RegistersCleanup}) that overrides a
   * {@code @DestroyHook} method (study case D4).
   */
  private String destroyHook(Call c, VisitorState state) {
    Optional<String> resource = Vocabulary.stringValue(c.method(), Vocabulary.REGISTERS_CLEANUP);
    if (resource.isEmpty() || !(c.tree() instanceof MethodInvocationTree call)) {
      return null;
    }
    for (ExpressionTree arg : call.getArguments()) {
      ClassSymbol funcs = funcsClass(arg, state);
      MethodSymbol hook = funcs == null ? null : overriddenDestroyHook(funcs, state);
      if (hook != null) {
        return "`" + Findings.src(state, arg) + "` (" + funcs.getSimpleName() + ") overrides the destroy hook "
            + hook.owner.getSimpleName() + "." + hook.getSimpleName() + ", but `" + c.method().owner.getSimpleName()
            + "." + c.method().getSimpleName() + "` registers the " + resource.get() + "'s cleanup as a drm-managed"
            + " action: drm_mode_config_cleanup calls the destroy hook and drmm cleans the " + resource.get()
            + " up again at the final drm put (a double cleanup; the hook must stay unset); remove the override";
      }
    }
    return null;
  }

  /** The class of the object an argument denotes: its static class type, or the initializer it was declared with. */
  private static ClassSymbol funcsClass(ExpressionTree arg, VisitorState state) {
    while (arg instanceof TypeCastTree tc) {
      arg = tc.getExpression();
    }
    if (arg instanceof NewClassTree nct) {
      return nct.getClassBody() != null ? ASTHelpers.getSymbol(nct.getClassBody()) : ASTHelpers.getSymbol(nct).enclClass();
    }
    Type t = ASTHelpers.getType(arg);
    if (t != null && t.tsym instanceof ClassSymbol cs && !cs.isInterface()) {
      return cs;
    }
    Symbol sym = ASTHelpers.getSymbol(arg);
    if (!(sym instanceof Symbol.VarSymbol) || (sym.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) == 0) {
      return null;
    }
    ExpressionTree[] init = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree v, Void p) {
        if (ASTHelpers.getSymbol(v) == sym) {
          init[0] = v.getInitializer();
        }
        return super.visitVariable(v, p);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return init[0] instanceof NewClassTree || init[0] instanceof TypeCastTree ? funcsClass(init[0], state) : null;
  }

  // Asked for every argument of every cleanup registration; the answer is the class's.
  private final Map<ClassSymbol, Optional<MethodSymbol>> destroyHooks = new java.util.WeakHashMap<>();

  private MethodSymbol overriddenDestroyHook(ClassSymbol cs, VisitorState state) {
    return destroyHooks.computeIfAbsent(cs, c -> Optional.ofNullable(findOverriddenDestroyHook(c, state))).orElse(null);
  }

  /**
   * The {@code @DestroyHook} method of a supertype that the class (or a superclass below that supertype) overrides.
   * Looks at the few annotated methods of the supertypes, not at every method of the class.
   */
  private MethodSymbol findOverriddenDestroyHook(ClassSymbol cs, VisitorState state) {
    Types types = state.getTypes();
    Vocabulary vocab = LifetimeAnalysis.instance(state).vocabulary();
    for (Type st : types.closure(cs.type)) {
      if (!(st.tsym instanceof ClassSymbol sup) || sup == cs) {
        continue;
      }
      for (MethodSymbol hook : declaredHooks.computeIfAbsent(sup, c -> declaredDestroyHooks(c, vocab))) {
        MethodSymbol impl = hook.implementation(cs, types, true);
        if (impl != null && impl != hook && !Vocabulary.has(impl, Vocabulary.DESTROY_HOOK)) {
          return hook;
        }
      }
    }
    return null;
  }

  // Per supertype: most declare no destroy hook, and every funcs class asks about the same few supertypes.
  private final Map<ClassSymbol, List<MethodSymbol>> declaredHooks = new java.util.WeakHashMap<>();

  private static List<MethodSymbol> declaredDestroyHooks(ClassSymbol sup, Vocabulary vocab) {
    List<MethodSymbol> out = new java.util.ArrayList<>();
    for (MethodSymbol hook : vocab.annotatedMethods(sup)) {
      if (Vocabulary.has(hook, Vocabulary.DESTROY_HOOK)) {
        out.add(hook);
      }
    }
    return out;
  }


  private static ClassSymbol superclass(ClassSymbol c) {
    Type sup = c.getSuperclass();
    return sup != null && sup.getKind() == javax.lang.model.type.TypeKind.DECLARED && sup.tsym instanceof ClassSymbol s
        ? s
        : null;
  }

  private static ClassTree topClass(VisitorState state) {
    ClassTree top = null;
    for (var p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree c) {
        top = c;
      }
    }
    return top;
  }

  /** The one place that writes this check's messages; null when the free is fine. */
  private String message(Free f, VisitorState state) {
    Body b = f.body();
    // Source text only for a finding: most frees are fine.
    java.util.function.Supplier<String> freed = () -> Findings.src(state, f.freed());
    java.util.function.Supplier<String> call = () -> "`" + Findings.src(state, f.tree()) + "`";
    Origin owned = f.value().ownedByBinding() != null ? f.value().ownedByBinding() : ownedField(f.freed(), state);
    if (owned != null) {
      return call.get() + " puts or frees `" + freed.get() + "`, but it comes from " + owned.text() + ", whose reference belongs"
          + " to devres (@OwnedBy(BINDING)): devres puts it at unbind and drmm frees the container last, so this is a"
          + " double put and a use after free; remove it and let devres drop the reference";
    }
    if (f.alreadyFreedAt() != null) {
      return call.get() + " puts or frees `" + freed.get() + "` again: `" + Findings.src(state, f.alreadyFreedAt())
          + "` already dropped this reference on a path to here, so this drops one the code does not own (a"
          + " refcount underflow: the object is freed while others still use it); put it once on every path";
    }
    if (b.context().releaseHook()) {
      if (f.container()) {
        return call.get() + " frees the container `" + freed.get() + "` in the release hook, but " + b.context().why()
            + " and before the drm-managed actions and GEM teardown, which still use it; the drm core frees the"
            + " container itself after them: do not put or free it here";
      }
      Origin drm = f.value().drm();
      if (drm != null && !drm.fromType()) {
        return call.get() + " frees drm-managed `" + freed.get() + "` (" + drm.text() + ") in the release hook, which runs"
            + " before the drm-managed actions and GEM teardown: actions registered later may still use it, and"
            + " drmm frees it again at the end; let drmm release it";
      }
      return null;
    }
    if (b.context().isBound()) {
      Origin drm = f.value().drm();
      if (drm != null && !drm.fromType()) {
        return call.get() + " frees drm-managed `" + freed.get() + "` (" + drm.text() + ") in " + b.context().describe()
            + ": drmm frees it again at the final drm put, which can come long after unbind; let drmm release it";
      }
      if (f.reachedVia() != null && f.value().binding() == null) {
        return call.get() + " frees `" + freed.get() + "`, which the drm device `" + f.reachedVia() + "` still reaches, but "
            + b.context().describe() + " and runs at unbind: the drm device lives until its last put (open fds,"
            + " exported dma-bufs), and its callbacks (GEM free, dma-buf release) may use `" + freed.get()
            + "` after this; free it in the drm release hook, or allocate it with drmm";
      }
    }
    return null;
  }

  /**
   * A field assigned anywhere in the enclosing top-level class from an {@code @OwnedBy(BINDING)} call (probe
   * stores the devm-allocated device that remove later puts).
   */
  private Origin ownedField(Tree freed, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(freed);
    if (sym == null || sym.getKind() != ElementKind.FIELD) {
      return null;
    }
    ClassTree top = null;
    for (var p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree c) {
        top = c;
      }
    }
    if (top == null) {
      return null;
    }
    if (top != ownedFieldsOf) { // one scan per top-level class, however many frees it has
      ownedFieldsOf = top;
      ownedFields = collectOwnedFields(top);
    }
    return ownedFields.get(sym);
  }

  private @Nullable ClassTree ownedFieldsOf;
  private Map<Symbol, Origin> ownedFields = Map.of();

  /** Fields assigned from an {@code @OwnedBy(BINDING)} call anywhere in {@code top}. */
  private static Map<Symbol, Origin> collectOwnedFields(ClassTree top) {
    Map<Symbol, Origin> found = new HashMap<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree a, Void v) {
        check(ASTHelpers.getSymbol(a.getVariable()), a.getExpression());
        return super.visitAssignment(a, v);
      }

      @Override
      public Void visitVariable(VariableTree t, Void v) {
        if (t.getInitializer() != null) {
          check(ASTHelpers.getSymbol(t), t.getInitializer());
        }
        return super.visitVariable(t, v);
      }

      private void check(Symbol target, Tree value) {
        while (value instanceof TypeCastTree tc) {
          value = tc.getExpression();
        }
        if (target != null && target.getKind() == ElementKind.FIELD && value instanceof MethodInvocationTree mit) {
          MethodSymbol m = ASTHelpers.getSymbol(mit);
          if (m != null && Vocabulary.stringValue(m, Vocabulary.OWNED_BY).map("BINDING"::equals).orElse(false)) {
            found.put(target, new Origin(m.owner.getSimpleName() + "." + m.getSimpleName() + " (stored in field `"
                + target.getSimpleName() + "`)"));
          }
        }
      }
    }.scan(top, null);
    return found;
  }
}
