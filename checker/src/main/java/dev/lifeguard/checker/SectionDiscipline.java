package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Event;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.SectionState;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import javax.inject.Inject;

/**
 * A {@link BugChecker} that flags broken enter/exit discipline (rule R3): a section not exited on some path, an
 * exit without a held section (failure branch, double exit, wrong token, wrong device), an ignored enter result,
 * an unplug inside a section, the scoped form outside try-with-resources or never tested, and a lambda that runs
 * later exiting its creator's section.
 *
 * <pre>{@code
 * if (!drm.enter(idx)) return -ENODEV;
 * if (busy) return -EBUSY;                 // leaves the section held
 * drm.exit(idx);
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Enter/exit sections must be balanced: one exit per successful enter, on every path, with its token",
    severity = ERROR,
    link = Findings.DOCS + "SectionDiscipline.md",
    linkType = CUSTOM)
public final class SectionDiscipline extends AnalysisCheck
    implements CompilationUnitTreeMatcher {

  static final String UNCHECKED_FLAG = "SectionDiscipline:UncheckedExceptions";

  /** Whether implicit unchecked exceptions of calls count as ways out of a section (default false). */
  private final boolean uncheckedExceptions;
  /** A description of an invalid flag value, reported once per file instead of any finding. */
  private final Optional<String> flagError;

  /** For the service loader, which needs a public no-argument constructor; uses the defaults. */
  public SectionDiscipline() {
    this(ErrorProneFlags.empty());
  }

  @Inject
  public SectionDiscipline(ErrorProneFlags flags) {
    Optional<String> raw = flags.get(UNCHECKED_FLAG);
    String v = raw.map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("false");
    if (v.equals("true") || v.equals("false")) {
      uncheckedExceptions = v.equals("true");
      flagError = Optional.empty();
    } else {
      uncheckedExceptions = false;
      flagError =
          Optional.of(
              "Invalid value '" + raw.get() + "' for -XepOpt:" + UNCHECKED_FLAG + ": expected true or false");
    }
  }

  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    return flagError.map(msg -> buildDescription(tree).setMessage(msg).build()).orElse(Description.NO_MATCH);
  }

  @Override
  boolean enabled() {
    return flagError.isEmpty();
  }

  /** The guard check is on wherever Lifeguard is, so it carries the note about bodies the analysis gave up on. */
  @Override
  boolean reportsAnalysisFailures() {
    return true;
  }

  @Override
  boolean uncheckedExceptions() {
    return uncheckedExceptions;
  }

  /**
   * A guard declaration the analysis could not use: it would silently check nothing, so it is an error here.
   * {@code @Enter} returns a boolean and takes one {@code @Token}, or returns an {@link AutoCloseable} section
   * with an {@code @Entered} method; {@code @Exit} takes one {@code @Token}; {@code @Entered} is a boolean query
   * without parameters; {@code @Token} marks a parameter of an enter or exit.
   */
  @Override
  Description matchDeclaration(MethodTree tree, VisitorState state) {
    if (!LifetimeAnalysis.instance(state).fileInScope(state)) {
      return Description.NO_MATCH;
    }
    MethodSymbol m = ASTHelpers.getSymbol(tree);
    if (m == null || !Vocabulary.hasVocabulary(m) && !anyParameterAnnotated(m)) {
      return Description.NO_MATCH;
    }
    String problem = GuardDeclarations.problem(m, state);
    return problem == null || Findings.suppresses(this, tree, state)
        ? Description.NO_MATCH
        : buildDescription(tree).setMessage(problem).build();
  }

  @Override
  void report(AnalysisResult result, VisitorState state) {
    for (Event e : result.events()) {
      if (handsOnToCaller(e)) {
        continue;
      }
      String msg = message(e, state);
      if (msg != null && !Findings.suppressed(this, state, e.tree())) {
        state.reportMatch(buildDescription(e.tree()).setMessage(msg).build());
      }
    }
  }

  private static boolean anyParameterAnnotated(MethodSymbol m) {
    for (Symbol p : m.getParameters()) {
      if (Vocabulary.hasVocabulary(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Syntactic rules on single calls: an ignored enter result, the scoped form used outside try-with-resources.
   * The class's enter calls come from the analysis's file scan: a matcher on every call would be asked about every
   * call of every file.
   */
  @Override
  Description matchClassDeclaration(ClassTree tree, VisitorState state) {
    if (flagError.isPresent()) {
      return Description.NO_MATCH;
    }
    reportCalls(state, (call, m, atCall) -> Vocabulary.isEnter(m) ? matchEnter(call, m, atCall) : Description.NO_MATCH);
    return Description.NO_MATCH;
  }

  private Description matchEnter(MethodInvocationTree tree, MethodSymbol m, VisitorState state) {
    java.util.function.Supplier<String> call = () -> Findings.src(state, tree); // only for a finding
    Tree parent = state.getPath().getParentPath().getLeaf();
    if (!Vocabulary.isScopedEnter(m)) {
      if (parent instanceof ExpressionStatementTree) {
        return describe(tree, "the result of `" + call.get() + "` is ignored: enter fails once the device is unplugged, and"
            + " then no section is held; test it: if (!" + call.get() + ") return ...; try { ... } finally { exit(...); }");
      }
      return Description.NO_MATCH;
    }
    TreePath gp = state.getPath().getParentPath().getParentPath();
    if (parent instanceof VariableTree v && gp != null && gp.getLeaf() instanceof TryTree t
        && t.getResources().contains(v)) {
      Symbol var = ASTHelpers.getSymbol(v);
      if (!testsEntered(t, var)) {
        return describe(tree, "the scoped section `" + v.getName() + "` is never tested: `" + call.get()
            + "` does not enter once the device is unplugged; test it before touching hardware: if (!"
            + v.getName() + ".entered()) return ...;");
      }
      return Description.NO_MATCH;
    }
    if (parent instanceof ReturnTree && enclosingIsEnter(state)) {
      return Description.NO_MATCH; // an @Enter wrapper hands the section to its caller
    }
    if (parent instanceof VariableTree v) {
      TryTree later = tryWithResource(state, ASTHelpers.getSymbol(v));
      if (later != null) { // the Java 9 form: final DrmSection s = ...; try (s) { ... }
        return testsEntered(later, ASTHelpers.getSymbol(v)) ? Description.NO_MATCH
            : describe(tree, "the scoped section `" + v.getName() + "` is never tested: `" + call.get() + "` does not"
                + " enter once the device is unplugged; test it before touching hardware: if (!" + v.getName()
                + ".entered()) return ...;");
      }
    }
    return describe(tree, "`" + call.get() + "` opens a scoped section: make it a try-with-resources resource so it is"
        + " closed on every path: try (var s = " + call.get() + ") { if (!s.entered()) return ...; ... }");
  }

  /**
   * An {@code @Enter} wrapper leaves its caller's section held on purpose, and an {@code @Exit} wrapper ends a
   * section its caller entered: for the wrapper's own {@code @Token} parameter that is the contract, not a leak.
   */
  private static boolean handsOnToCaller(Event e) {
    if (!(e.body().tree() instanceof MethodTree mt) || !(ASTHelpers.getSymbol(mt) instanceof MethodSymbol m)) {
      return false;
    }
    int i = Vocabulary.tokenIndex(m);
    if (i < 0) {
      return false;
    }
    String token = m.getParameters().get(i).getSimpleName().toString();
    return (e instanceof Event.Leak l && Vocabulary.has(m, Vocabulary.ENTER) && l.tokenName().equals(token))
        || (e instanceof Event.ExitCall x && Vocabulary.has(m, Vocabulary.EXIT) && x.tokenName().equals(token)
            && !x.capturedFromOuter());
  }

  private static boolean enclosingIsEnter(VisitorState state) {
    MethodTree m = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    return m != null && Vocabulary.has(ASTHelpers.getSymbol(m), Vocabulary.ENTER);
  }

  /** The try-with-resources in the enclosing method whose resource list names {@code var}, if any. */
  private static @Nullable TryTree tryWithResource(VisitorState state, @Nullable Symbol var) {
    MethodTree m = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    if (var == null || m == null || m.getBody() == null) {
      return null;
    }
    TryTree[] found = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitTry(TryTree t, Void v) {
        for (Tree r : t.getResources()) {
          if (r instanceof com.sun.source.tree.ExpressionTree e && var.equals(ASTHelpers.getSymbol(e))) {
            found[0] = t;
          }
        }
        return super.visitTry(t, v);
      }
    }.scan(m.getBody(), null);
    return found[0];
  }

  private Description describe(Tree tree, String msg) {
    return buildDescription(tree).setMessage(msg).build();
  }

  private static boolean testsEntered(TryTree t, Symbol var) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree mit, Void v) {
        MethodSymbol m = ASTHelpers.getSymbol(mit);
        if (m != null && Vocabulary.has(m, Vocabulary.ENTERED)
            && ASTHelpers.getReceiver(mit) != null
            && ASTHelpers.getSymbol(ASTHelpers.getReceiver(mit)) == var) {
          found[0] = true;
        }
        return super.visitMethodInvocation(mit, v);
      }
    }.scan(t.getBlock(), null);
    return found[0];
  }

  /** The one place that writes this check's flow messages; null when the event is fine. */
  private static String message(Event e, VisitorState state) {
    switch (e) {
      case Event.Leak l -> {
        String where = l.exceptional()
            ? "when an exception leaves " + l.body().name()
            : "when " + l.body().name() + " returns on some path (an early return, a break or a loop exit)";
        return "the section entered by `" + Findings.src(state, l.tree()) + "` is still held " + where
            + ": every successful enter needs exactly one exit on every path, or unplug waits forever; put the"
            + " exit in a finally: try { ... } finally { " + l.device() + ".exit(" + l.tokenName() + "); }";
      }
      case Event.ExitCall x -> {
        java.util.function.Supplier<String> call = () -> "`" + Findings.src(state, x.tree()) + "`";
        int mask = x.mask();
        if (x.capturedFromOuter()) {
          return call.get() + " is in " + x.body().name() + ", which runs later (" + x.body().modeReason()
              + "): it must not exit its creator's section, which has ended (or is exited twice) by the time this"
              + " runs; exit in the code that entered, and enter a section of its own here";
        }
        if (x.enteredOn() != null && (mask & SectionState.HELD) != 0) {
          return call.get() + " exits on `" + x.device() + "` the section that `" + x.tokenName() + "` entered on `"
              + x.enteredOn() + "`: exit on the device you entered";
        }
        if ((mask & SectionState.HELD) != 0) {
          if (mask == SectionState.HELD) {
            return null;
          }
          return call.get() + " can run when no section is held: on some path to it the enter failed or the section was"
              + " already exited (" + SectionState.maskText(mask) + "); exit exactly once, only after a successful"
              + " enter";
        }
        if (mask == SectionState.FAILED) {
          return call.get() + " is on the failure branch: enter returned false, so there is no section to end; exit only"
              + " after a successful enter";
        }
        if (mask == SectionState.EXITED) {
          return call.get() + " is a double exit: the section of `" + x.tokenName() + "` was already exited on every"
              + " path here";
        }
        if ((mask & SectionState.NEVER) != 0 && x.otherHeldToken() != null) {
          return call.get() + " uses the wrong token: `" + x.tokenName() + "` entered no section here, but `"
              + x.otherHeldToken() + "` did; exit with the token that enter gave";
        }
        return call.get() + " exits without a held section: `" + x.tokenName() + "` never entered, or its section failed"
            + " or was already exited (" + SectionState.maskText(mask) + ")";
      }
      case Event.ReEnter r -> {
        return "`" + Findings.src(state, r.tree()) + "` enters again with `" + r.tokenName() + "` while its earlier"
            + " section may still be held (a loop without an exit?); that section is never exited";
      }
      case Event.UnplugInSection u -> {
        return "`" + Findings.src(state, u.tree()) + "` waits for every section in flight, but it runs inside the"
            + " section of `" + u.tokenName() + "`" + (u.must() ? "" : " (on some path)")
            + ": it deadlocks; exit the section before unplugging";
      }
      default -> {
        return null;
      }
    }
  }
}
