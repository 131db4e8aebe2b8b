package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.lifeguard.checker.analysis.CodeContext;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} for module lifetime (rule R7): a component that stores a counted reference to a drm
 * device ({@code @Acquires}) in a field without pinning the module that made it ({@code @PinsModule}), and a
 * module exit ({@code @ManagedAction(MODULE)}) that unregisters drm drivers but can return before their devices'
 * release callbacks finished ({@code @AwaitsDevices} and {@code @ReleaseBarrier}).
 *
 * <pre>{@code
 * class Pagemap { DrmDevice provider; Pagemap(DrmDevice drm) { provider = drm.get(); } }   // no module ref
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "A drm device outlives the module whose code its release runs",
    severity = ERROR,
    link = Findings.DOCS + "ModuleLifetime.md",
    linkType = CUSTOM)
public final class ModuleLifetime extends BugChecker
    implements ClassTreeMatcher, MethodTreeMatcher, LambdaExpressionTreeMatcher {

  @Inject
  public ModuleLifetime() {}

  // ---- (a) a held drm device without its module ----

  @Override
  public Description matchClass(ClassTree tree, VisitorState state) {
    // Holding a device needs taking a reference first: a file that takes none has nothing to scan for.
    if (!LifetimeAnalysis.instance(state).fileAcquires(state)) {
      return Description.NO_MATCH;
    }
    try {
      Vocabulary vocab = LifetimeAnalysis.instance(state).vocabulary();
      ClassSymbol cls = ASTHelpers.getSymbol(tree);
      if (cls == null || vocab.isDrmDriverType(cls.type)) {
        return Description.NO_MATCH; // the driver's own device: its module is the one running
      }
      Map<AssignmentTree, MethodInvocationTree> stores = new java.util.LinkedHashMap<>();
      Map<AssignmentTree, Tree> memberOf = new HashMap<>();
      boolean[] pins = {false};
      Map<MethodInvocationTree, Tree> acquires = new java.util.LinkedHashMap<>();
      for (Tree member : tree.getMembers()) {
        if (member instanceof ClassTree) {
          continue; // judged on its own
        }
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree t, Void v) {
            return null;
          }

          @Override
          public Void visitAssignment(AssignmentTree a, Void v) {
            Symbol target = ASTHelpers.getSymbol(a.getVariable());
            ExpressionTree value = a.getExpression();
            while (value instanceof TypeCastTree tc) {
              value = tc.getExpression();
            }
            if (target != null && target.getKind() == ElementKind.FIELD && target.owner == cls
                && value instanceof MethodInvocationTree call
                && Vocabulary.has(ASTHelpers.getSymbol(call), Vocabulary.ACQUIRES)
                && vocab.isDeviceType(ASTHelpers.getType(call))) {
              stores.put(a, call);
              memberOf.put(a, member);
            }
            return super.visitAssignment(a, v);
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree t, Void v) {
            if (Vocabulary.has(ASTHelpers.getSymbol(t), Vocabulary.PINS_MODULE)) {
              pins[0] = true;
            }
            for (ExpressionTree arg : t.getArguments()) {
              handedOn(arg);
            }
            return super.visitMethodInvocation(t, v);
          }

          // A reference taken and not kept in a local is held by whoever it goes to (a holder object, a list):
          // taken and dropped (`drm.get();`), handed on as an argument, or returned.
          @Override
          public Void visitExpressionStatement(com.sun.source.tree.ExpressionStatementTree t, Void v) {
            handedOn(t.getExpression());
            return super.visitExpressionStatement(t, v);
          }

          @Override
          public Void visitNewClass(com.sun.source.tree.NewClassTree t, Void v) {
            for (ExpressionTree arg : t.getArguments()) {
              handedOn(arg);
            }
            return super.visitNewClass(t, v);
          }

          @Override
          public Void visitReturn(com.sun.source.tree.ReturnTree t, Void v) {
            handedOn(t.getExpression());
            return super.visitReturn(t, v);
          }

          private void handedOn(@Nullable ExpressionTree e) {
            if (e instanceof MethodInvocationTree call && Vocabulary.has(ASTHelpers.getSymbol(call), Vocabulary.ACQUIRES)
                && vocab.isDeviceType(ASTHelpers.getType(call))) {
              acquires.put(call, member);
            }
          }
        }.scan(member, null);
      }
      if (pins[0]) {
        return Description.NO_MATCH;
      }
      for (Map.Entry<AssignmentTree, MethodInvocationTree> e : stores.entrySet()) {
        AssignmentTree a = e.getKey();
        acquires.remove(e.getValue());
        if (!Findings.suppresses(this, memberOf.get(a), state)) {
          state.reportMatch(buildDescription(a)
              .setMessage(heldWithoutModule("`" + Findings.src(state, a.getVariable()) + "` holds",
                  Findings.src(state, e.getValue()), cls))
              .build());
        }
      }
      for (Map.Entry<MethodInvocationTree, Tree> e : acquires.entrySet()) {
        if (!Findings.suppresses(this, e.getValue(), state)) {
          state.reportMatch(buildDescription(e.getKey())
              .setMessage(heldWithoutModule(cls.getSimpleName() + " takes", Findings.src(state, e.getKey()), cls))
              .build());
        }
      }
    } catch (RuntimeException e) {
      // Incomplete symbols: no finding rather than a javac crash.
    }
    return Description.NO_MATCH;
  }

  /** The one message of part (a). */
  private static String heldWithoutModule(String holder, String acquire, ClassSymbol cls) {
    return holder + " a counted reference to a drm device (`" + acquire + "`), which keeps the device alive but"
        + " not the module that made it: modules are pinned by open fds and exported dma-bufs, not by drm device"
        + " references, so that module can unload while " + cls.getSimpleName() + " still holds the device, and the"
        + " last put then runs its release hook and drm-managed actions out of freed module text; also take a module"
        + " reference (tryGet() of the device's driver's owner, failing when it is going away) and drop it after the"
        + " last drm put";
  }

  // ---- (b) a module exit that does not wait for its devices ----

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (!LifetimeAnalysis.instance(state).fileInScope(state)) {
      return Description.NO_MATCH;
    }
    MethodSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null || tree.getBody() == null) {
      return Description.NO_MATCH;
    }
    CodeContext ctx = LifetimeAnalysis.instance(state).contextOf(sym, state);
    if (!ctx.isModuleExit()) {
      return Description.NO_MATCH;
    }
    return judgeExit(tree, tree.getBody(), ctx.where(), state);
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (!LifetimeAnalysis.instance(state).fileInScope(state)) {
      return Description.NO_MATCH;
    }
    Type t = ASTHelpers.getType(tree);
    if (t == null || !(t.tsym instanceof ClassSymbol c)
        || !LifetimeAnalysis.instance(state).vocabulary().isModuleAction(c)) {
      return Description.NO_MATCH;
    }
    return judgeExit(tree, tree.getBody(), "the lambda is a " + c.getSimpleName(), state);
  }

  private Description judgeExit(Tree exit, Tree body, String where, VisitorState state) {
    try {
      Vocabulary vocab = LifetimeAnalysis.instance(state).vocabulary();
      Facts f = new Facts();
      scanWithHelpers(body, state, vocab, f);
      if (f.driver == null || (f.awaits && f.barrier)) {
        return Description.NO_MATCH;
      }
      String missing = !f.awaits && !f.barrier
          ? "neither waits for the drivers' device count to reach zero (@AwaitsDevices) nor calls the release"
              + " barrier (@ReleaseBarrier)"
          : !f.awaits
              ? "calls the release barrier but never waits for the device count to reach zero (@AwaitsDevices), so"
                  + " devices still held elsewhere are released later"
              : "waits for the device count but never calls the release barrier (@ReleaseBarrier), so whoever"
                  + " dropped the last count may still be running the release callbacks";
      return buildDescription(exit)
          .setMessage("This module exit (" + where + ") unregisters or tears down the drm driver `"
              + Findings.src(state, f.driver)
              + "`, but " + missing + ": a drm device can outlive unbind (a dma-buf or another module holds it), and"
              + " its final put runs the driver's release hook and drm-managed actions, which are code of this"
              + " module; once exit returns the module text is freed. Count the devices (inc at alloc, dec from a"
              + " drmm action), then in exit: unregister, count.awaitZero(), DrmDevice.releaseBarrier()")
          .build();
    } catch (RuntimeException e) {
      return Description.NO_MATCH;
    }
  }

  /** What an exit body (and the helpers of its own compilation unit it calls) does. */
  private static final class Facts {
    /** The driver expression the exit tears down (its source text is read only for a finding). */
    @Nullable ExpressionTree driver;
    boolean awaits;
    boolean barrier;
  }

  private static void scanWithHelpers(Tree body, VisitorState state, Vocabulary vocab, Facts f) {
    // A helper is a method declared in this file, found among its classes' members (from the file scan).
    Map<ClassSymbol, ClassTree> classes = LifetimeAnalysis.instance(state).classesOf(state);
    java.util.function.Function<MethodSymbol, MethodTree> helperOf = m -> {
      ClassTree owner = m == null ? null : classes.get(m.enclClass());
      if (owner != null) {
        for (Tree member : owner.getMembers()) {
          if (member instanceof MethodTree mt && mt.getBody() != null && ASTHelpers.getSymbol(mt) == m) {
            return mt;
          }
        }
      }
      return null;
    };
    Deque<Tree> work = new ArrayDeque<>();
    Set<Tree> seen = new HashSet<>();
    work.add(body);
    while (!work.isEmpty()) {
      Tree t = work.poll();
      if (!seen.add(t)) {
        continue;
      }
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void v) {
          MethodSymbol m = ASTHelpers.getSymbol(call);
          if (Vocabulary.has(m, Vocabulary.AWAITS_DEVICES)) {
            f.awaits = true;
          }
          if (Vocabulary.has(m, Vocabulary.RELEASE_BARRIER)) {
            f.barrier = true;
          }
          for (ExpressionTree arg : call.getArguments()) {
            noteDriver(arg);
          }
          ExpressionTree select = call.getMethodSelect();
          if (select instanceof com.sun.source.tree.MemberSelectTree ms) {
            noteDriver(ms.getExpression());
          }
          MethodTree helper = helperOf.apply(m);
          if (helper != null) {
            work.add(helper.getBody());
          }
          return super.visitMethodInvocation(call, v);
        }

        private void noteDriver(ExpressionTree e) {
          if (f.driver == null && vocab.isDrmDriverType(ASTHelpers.getType(e))) {
            f.driver = e;
          }
        }
      }.scan(t, null);
    }
  }
}
