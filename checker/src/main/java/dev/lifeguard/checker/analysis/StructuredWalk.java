package dev.lifeguard.checker.analysis;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseLabelTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ConstantCaseLabelTree;
import com.sun.source.tree.DefaultCaseLabelTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.WhileLoopTree;
import javax.lang.model.element.Name;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * The fast engine of the lifetime analysis: a walk over the body's tree in evaluation order, for bodies whose
 * control flow is structured the way driver code is (blocks, {@code if}, loops to a fixpoint, {@code switch}
 * statements, labeled {@code break}/{@code continue}, {@code return}, {@code throw}, {@code try}/{@code catch}/
 * {@code finally}, try-with-resources, lambdas). It computes what the CFG engine computes, through the same
 * {@link LifetimeRules}, without building a graph: no node per subexpression and no worklist, because a
 * structured body needs neither. Exceptions follow the CFG's routing: a call's declared
 * exceptions plus {@code RuntimeException} and {@code Error}, matched against catch clauses innermost first; a
 * {@code finally} runs once per way in (normal, exception, return), and what leaves the end of its exceptional
 * copy is not followed, as in the CFG.
 *
 * <p>Anything else (switch expressions, {@code synchronized}, {@code assert}, patterns, a jump out through a
 * {@code finally}, unboxing of a lifetime value...) throws {@link Unsupported}, and the body goes to the CFG
 * engine. With {@code -Dlifeguard.crossCheck=true} (set for the test suites) every body the walk handles is analysed by both
 * engines and any difference is an error, so the two are held to each other by every test.
 */
final class StructuredWalk {
  /** The body uses a construct the walk does not model; the CFG engine takes it. */
  static final class Unsupported extends RuntimeException {
    private static final Unsupported INSTANCE = new Unsupported("unsupported construct");

    private Unsupported(String what) {
      super("structured walk: " + what, null, false, false);
    }
  }

  /** Leaves the body to the CFG; names the construct when debugging. */
  private static Unsupported unsupported(@Nullable Tree t) {
    return LifetimeAnalysis.DEBUG ? new Unsupported(t == null ? "?" : t.getKind() + " " + t) : Unsupported.INSTANCE;
  }

  private static final Object ROOT = new Object();

  private final LifetimeRules rules;
  private final Types types;
  private final List<ClassSymbol> enclosingClasses;

  /** Events per (tree, finally copy), replaced when a copy is walked again. */
  final Map<Object, List<Event>> events = new LinkedHashMap<>();
  /** The store where each lambda is created, per (lambda, finally copy). */
  final Map<Object, LifetimeStore> lambdaStores = new LinkedHashMap<>();
  LifetimeStore regularExit = LifetimeStore.BOTTOM;
  LifetimeStore exceptionalExit = LifetimeStore.BOTTOM;

  /** Which copy of enclosing finally blocks the walk is in (ROOT outside any). */
  private Object copy = ROOT;
  private final Deque<Frame> frames = new ArrayDeque<>();

  StructuredWalk(LifetimeRules rules, Types types, List<ClassSymbol> enclosingClasses) {
    this.rules = rules;
    this.types = types;
    this.enclosingClasses = enclosingClasses;
  }

  /** Walks a method or lambda body from {@code initial}. */
  void run(Tree body, LifetimeStore initial) {
    // An expression lambda's value is its result.
    LifetimeStore end = body instanceof BlockTree b ? block(b, initial) : eval((ExpressionTree) body, initial).merged();
    regularExit = regularExit.leastUpperBound(end);
  }

  // ---- try frames ----

  /** An enclosing try statement: its catch clauses (while its block runs) and its finally (a block or a close). */
  private static final class Frame {
    final List<? extends CatchTree> catches;
    boolean catchesActive;
    final Map<CatchTree, LifetimeStore> catchIn = new LinkedHashMap<>();
    /** What each catch clause catches, erased; asked at every call inside the try. */
    final Map<CatchTree, List<Type>> caught = new java.util.IdentityHashMap<>();
    final boolean hasFinally;
    LifetimeStore finallyOnException = LifetimeStore.BOTTOM;
    LifetimeStore finallyOnReturn = LifetimeStore.BOTTOM;

    Frame(List<? extends CatchTree> catches, boolean hasFinally) {
      this.catches = catches;
      this.catchesActive = !catches.isEmpty();
      this.hasFinally = hasFinally;
    }
  }

  /** Routes an exception of type {@code cause}, thrown with store {@code s}, to where it lands. */
  private void raise(Type cause, LifetimeStore s) {
    if (s.isBottom()) {
      return;
    }
    Type thrown = null;
    for (Frame f : frames) {
      if (f.catchesActive) {
        if (thrown == null) {
          thrown = types.erasure(cause);
        }
        for (CatchTree c : f.catches) {
          boolean definite = false;
          boolean possible = false;
          for (Type alt : f.caught.computeIfAbsent(c, this::caught)) {
            if (types.isSubtype(thrown, alt)) {
              definite = true;
            } else if (types.isSubtype(alt, thrown)) {
              possible = true;
            }
          }
          if (definite || possible) {
            f.catchIn.merge(c, s, LifetimeStore::leastUpperBound);
          }
          if (definite) {
            return;
          }
        }
      }
      if (f.hasFinally) {
        f.finallyOnException = f.finallyOnException.leastUpperBound(s);
        return;
      }
    }
    exceptionalExit = exceptionalExit.leastUpperBound(s);
  }

  /** The erased types a catch clause catches. */
  private List<Type> caught(CatchTree c) {
    Tree t = c.getParameter().getType();
    List<Type> out = new ArrayList<>();
    if (t instanceof UnionTypeTree u) {
      for (Tree alt : u.getTypeAlternatives()) {
        out.add(types.erasure((Type) ASTHelpers.getType(alt)));
      }
    } else {
      out.add(types.erasure((Type) ASTHelpers.getType(c.getParameter())));
    }
    return out;
  }

  private void doReturn(LifetimeStore s) {
    if (s.isBottom()) {
      return;
    }
    for (Frame f : frames) {
      if (f.hasFinally) {
        f.finallyOnReturn = f.finallyOnReturn.leastUpperBound(s);
        return;
      }
    }
    regularExit = regularExit.leastUpperBound(s);
  }

  /** The exceptions leaving a call or constructor: what it declares, plus RuntimeException and Error. */
  private void raiseFrom(@Nullable MethodSymbol m, LifetimeStore before, LifetimeStore after, boolean afterOnException) {
    LifetimeStore s = afterOnException ? after : before;
    if (s.isBottom()) {
      return;
    }
    if (m != null) {
      com.sun.tools.javac.util.List<Type> thrown = m.getThrownTypes();
      if (thrown.isEmpty() && !rules.uncheckedExceptions()) {
        return; // unchecked exceptions count only when declared or asked for
      }
      for (Type t : thrown) {
        if (rules.counts(m, false, t)) {
          raise(t, s);
        }
      }
    }
    if (rules.counts(m, false, rules.runtimeException())) {
      raise(rules.runtimeException(), s);
    }
    if (rules.counts(m, false, rules.error())) {
      raise(rules.error(), s);
    }
  }

  // ---- statements ----

  private LifetimeStore block(BlockTree b, LifetimeStore s) {
    for (StatementTree st : b.getStatements()) {
      s = statement(st, s);
    }
    return s;
  }

  private LifetimeStore statement(StatementTree st, LifetimeStore s) {
    if (s.isBottom()) {
      return s;
    }
    switch (st) {
      case BlockTree b -> {
        return block(b, s);
      }
      case ExpressionStatementTree es -> {
        return eval(es.getExpression(), s).merged();
      }
      case VariableTree v -> {
        return declare(v, s);
      }
      case IfTree i -> {
        Out c = eval(i.getCondition(), s);
        LifetimeStore then = statement(i.getThenStatement(), c.then);
        LifetimeStore els = i.getElseStatement() == null ? c.els : statement(i.getElseStatement(), c.els);
        return then.leastUpperBound(els);
      }
      case ReturnTree r -> {
        LifetimeStore after = r.getExpression() == null ? s : eval(r.getExpression(), s).merged();
        doReturn(after);
        return LifetimeStore.BOTTOM;
      }
      case ThrowTree t -> {
        LifetimeStore after = eval(t.getExpression(), s).merged();
        Type cause = (Type) ASTHelpers.getType(t.getExpression());
        if (cause == null || cause.getKind() == TypeKind.TYPEVAR) {
          throw unsupported(t);
        }
        raise(cause, after);
        return LifetimeStore.BOTTOM;
      }
      case TryTree t -> {
        return tryStatement(t, s);
      }
      case ClassTree c -> {
        return s; // a local class: its methods are analysed on their own
      }
      case WhileLoopTree w -> {
        return loopStatement(null, w, s);
      }
      case DoWhileLoopTree d -> {
        return loopStatement(null, d, s);
      }
      case ForLoopTree f -> {
        return loopStatement(null, f, s);
      }
      case EnhancedForLoopTree f -> {
        return loopStatement(null, f, s);
      }
      case LabeledStatementTree l -> {
        return labeled(l, s);
      }
      case SwitchTree sw -> {
        return switchStatement(sw, s);
      }
      case BreakTree b -> {
        jump(b.getLabel(), false, s);
        return LifetimeStore.BOTTOM;
      }
      case ContinueTree c -> {
        jump(c.getLabel(), true, s);
        return LifetimeStore.BOTTOM;
      }
      default -> {
        if (st.getKind() == Tree.Kind.EMPTY_STATEMENT) {
          return s;
        }
        throw unsupported(st);
      }
    }
  }

  private LifetimeStore declare(VariableTree v, LifetimeStore s) {
    if (v.getInitializer() == null) {
      return s;
    }
    VarSymbol sym = ASTHelpers.getSymbol(v);
    Out init = eval(v.getInitializer(), s);
    LifetimeStore at = init.merged();
    // A local target's own value is not read by the assignment: only its symbol.
    Operand target = new Operand(v, LifetimeValue.NONE, v.getName().toString(), sym.type, Operand.Shape.LOCAL, sym, null);
    return assign(v, target, v.getInitializer(), init, at);
  }

  private LifetimeStore assign(Tree tree, Operand target, ExpressionTree value, Out valueOut, LifetimeStore at) {
    ExpressionTree v = strip(value);
    LifetimeValue val = valueOf(v, at);
    MethodSymbol call = null;
    Operand callRecv = null;
    if (v instanceof MethodInvocationTree mit) {
      call = (MethodSymbol) ASTHelpers.getSymbol(mit);
      // The receiver names the device of a scoped section; nothing else reads it.
      callRecv = val.scopedSection() != null ? receiver(mit, call, at) : null;
    }
    LifetimeRules.Step step = rules.assign(tree, target, v, val, valueOut.decides, call, callRecv, at);
    record(tree, step.events());
    return step.after();
  }

  private LifetimeStore tryStatement(TryTree t, LifetimeStore s) {
    BlockTree fin = t.getFinallyBlock();
    Frame frame = t.getCatches().isEmpty() && fin == null ? null : new Frame(t.getCatches(), fin != null);
    if (frame != null) {
      frames.push(frame);
    }
    LifetimeStore normal;
    try {
      normal = resources(t, 0, s);
      if (frame != null) {
        frame.catchesActive = false;
        for (CatchTree c : t.getCatches()) {
          LifetimeStore in = frame.catchIn.getOrDefault(c, LifetimeStore.BOTTOM);
          normal = normal.leastUpperBound(block(c.getBlock(), in));
        }
      }
    } finally {
      if (frame != null) {
        frames.pop();
      }
    }
    if (fin == null) {
      return normal;
    }
    return runFinally(frame, fin, null, normal);
  }

  /** The resources from {@code i} on, then the block: each resource closes in a finally of its own. */
  private LifetimeStore resources(TryTree t, int i, LifetimeStore s) {
    if (i == t.getResources().size()) {
      return block(t.getBlock(), s);
    }
    if (!(t.getResources().get(i) instanceof VariableTree v) || s.isBottom()) {
      throw unsupported(t);
    }
    s = declare(v, s);
    Frame closes = new Frame(List.of(), true);
    frames.push(closes);
    LifetimeStore normal;
    try {
      normal = resources(t, i + 1, s);
    } finally {
      frames.pop();
    }
    return runFinally(closes, null, v, normal);
  }

  /**
   * Runs a finally (a block, or the close of a resource) once per way in: normal completion, an exception (what
   * leaves the end of that copy is not followed, as in the CFG), and returns (which then go on outward).
   */
  private LifetimeStore runFinally(Frame f, @Nullable BlockTree fin, @Nullable VariableTree resource, LifetimeStore normal) {
    Tree at = fin != null ? fin : resource;
    Object outer = copy;
    try {
      if (!f.finallyOnException.isBottom()) {
        copy = List.of(outer, at, "exception");
        finallyCopy(fin, resource, f.finallyOnException);
      }
      if (!f.finallyOnReturn.isBottom()) {
        copy = List.of(outer, at, "return");
        doReturn(finallyCopy(fin, resource, f.finallyOnReturn));
      }
      if (normal.isBottom()) {
        return normal;
      }
      copy = List.of(outer, at, "normal");
      return finallyCopy(fin, resource, normal);
    } finally {
      copy = outer;
    }
  }

  private LifetimeStore finallyCopy(@Nullable BlockTree fin, @Nullable VariableTree resource, LifetimeStore s) {
    return fin != null ? block(fin, s) : close(resource, s);
  }

  /** The implicit {@code close()} of a try-with-resources resource. */
  private LifetimeStore close(VariableTree resource, LifetimeStore s) {
    VarSymbol sym = ASTHelpers.getSymbol(resource);
    MethodSymbol close = rules.member(sym.type, "close");
    if (close == null) {
      throw unsupported(resource);
    }
    Operand recv = new Operand(resource, rules.localValue(sym, s), resource.getName().toString(), sym.type,
        Operand.Shape.LOCAL, sym, null);
    LifetimeRules.Step step = rules.call(resource, false, close, recv, List.of(), rules.callValue(close, null, close.getReturnType()), s);
    if (!step.events().isEmpty() || step.conditional()) {
      throw unsupported(resource); // events at a synthetic call: leave it to the CFG, which has a tree for it
    }
    raiseFrom(close, s, step.after(), step.afterOnException());
    return step.after();
  }

  // ---- loops and jumps ----

  /** Where a break or continue lands: a loop (or a labeled statement), with what jumped to it. */
  private static final class Target {
    final @Nullable Name label;
    final boolean isLoop;
    boolean isSwitch;
    final int frameDepth;
    LifetimeStore breaks = LifetimeStore.BOTTOM;
    LifetimeStore continues = LifetimeStore.BOTTOM;

    Target(@Nullable Name label, boolean isLoop, int frameDepth) {
      this.label = label;
      this.isLoop = isLoop;
      this.frameDepth = frameDepth;
    }
  }

  private final Deque<Target> targets = new ArrayDeque<>();

  private void jump(@Nullable Name label, boolean isContinue, LifetimeStore s) {
    for (Target t : targets) {
      if (label == null ? t.isLoop || (t.isSwitch && !isContinue) : label.equals(t.label)) {
        // A jump out through a finally runs a copy of it first: left to the CFG.
        int i = 0;
        for (Frame f : frames) {
          if (i++ >= frames.size() - t.frameDepth) {
            break;
          }
          if (f.hasFinally) {
            throw unsupported(null);
          }
        }
        if (isContinue) {
          t.continues = t.continues.leastUpperBound(s);
        } else {
          t.breaks = t.breaks.leastUpperBound(s);
        }
        return;
      }
    }
    throw unsupported(null);
  }

  private LifetimeStore labeled(LabeledStatementTree l, LifetimeStore s) {
    StatementTree body = l.getStatement();
    if (body instanceof WhileLoopTree || body instanceof DoWhileLoopTree || body instanceof ForLoopTree
        || body instanceof EnhancedForLoopTree) {
      return loopStatement(l.getLabel(), body, s);
    }
    Target t = new Target(l.getLabel(), false, frames.size());
    targets.push(t);
    try {
      return statement(body, s).leastUpperBound(t.breaks);
    } finally {
      targets.pop();
    }
  }

  /** A loop statement, with the label a {@code break} or {@code continue} may name (null for none). */
  private LifetimeStore loopStatement(@Nullable Name label, StatementTree loop, LifetimeStore s) {
    return switch (loop) {
      case WhileLoopTree w -> loop(label, s, w.getCondition(), w.getStatement(), List.of(), false);
      case DoWhileLoopTree d -> loop(label, s, d.getCondition(), d.getStatement(), List.of(), true);
      case ForLoopTree f -> {
        for (StatementTree init : f.getInitializer()) {
          s = statement(init, s);
        }
        yield loop(label, s, f.getCondition(), f.getStatement(), f.getUpdate(), false);
      }
      case EnhancedForLoopTree f -> forEach(label, f, s);
      default -> throw unsupported(loop);
    };
  }

  /**
   * A loop, to its fixpoint: the body is walked again while the store at its head grows (events of a tree are
   * replaced on each walk, so the last walk, at the fixpoint, is what counts).
   *
   * @param bodyFirst a do-while: the body runs before the condition
   */
  private LifetimeStore loop(@Nullable Name label, LifetimeStore entry, @Nullable ExpressionTree cond,
      StatementTree body, List<? extends ExpressionStatementTree> update, boolean bodyFirst) {
    return fixpoint(body, label, entry, in -> condition(cond, in), bodyFirst, in -> statement(body, in), update);
  }

  /**
   * The head store each loop (per finally copy) reached last time. An enclosing loop walks its body again, so a
   * nested loop starts from there: the enclosing stores only grow, so its least fixpoint can only be larger, and
   * the walk confirms it in one round instead of climbing again (nested loops stay linear, not exponential).
   */
  private final Map<Object, LifetimeStore> loopHeads = new java.util.HashMap<>();

  private LifetimeStore fixpoint(Tree loop, @Nullable Name label, LifetimeStore entry,
      java.util.function.Function<LifetimeStore, Out> cond, boolean bodyFirst, java.util.function.UnaryOperator<LifetimeStore> body,
      List<? extends ExpressionStatementTree> update) {
    Object at = key(loop);
    LifetimeStore head = entry.leastUpperBound(loopHeads.getOrDefault(at, LifetimeStore.BOTTOM));
    for (int round = 0; round < 64; round++) {
      Target t = new Target(label, true, frames.size());
      targets.push(t);
      LifetimeStore exit;
      LifetimeStore back;
      try {
        if (bodyFirst) {
          LifetimeStore end = body.apply(head).leastUpperBound(t.continues);
          Out c = cond.apply(end);
          back = c.then;
          exit = c.els;
        } else {
          Out c = cond.apply(head);
          LifetimeStore end = body.apply(c.then).leastUpperBound(t.continues);
          for (ExpressionStatementTree u : update) {
            end = statement(u, end);
          }
          back = end;
          exit = c.els;
        }
      } finally {
        targets.pop();
      }
      LifetimeStore next = head.leastUpperBound(back);
      if (next.equals(head)) {
        loopHeads.put(at, head);
        return exit.leastUpperBound(t.breaks);
      }
      head = next;
    }
    throw unsupported(null);
  }

  /**
   * A switch statement with constant labels: every case can be entered from the selector, a case without
   * {@code break} falls into the next (old form), and without a default the selector can match none.
   */
  private LifetimeStore switchStatement(SwitchTree sw, LifetimeStore s) {
    s = eval(sw.getExpression(), s).merged();
    Target t = new Target(null, false, frames.size());
    t.isSwitch = true;
    targets.push(t);
    LifetimeStore fall = LifetimeStore.BOTTOM;
    boolean hasDefault = false;
    try {
      for (CaseTree c : sw.getCases()) {
        if (c.getGuard() != null) {
          throw unsupported(c);
        }
        for (CaseLabelTree label : c.getLabels()) {
          if (label instanceof DefaultCaseLabelTree) {
            hasDefault = true;
          } else if (!(label instanceof ConstantCaseLabelTree k) || k.getConstantExpression() instanceof LiteralTree l
              && l.getKind() == Tree.Kind.NULL_LITERAL) {
            throw unsupported(c); // patterns and null: the enhanced switch
          }
        }
        LifetimeStore in = s.leastUpperBound(fall);
        if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree body = c.getBody();
          LifetimeStore end = body instanceof StatementTree st ? statement(st, in)
              : eval((ExpressionTree) body, in).merged();
          t.breaks = t.breaks.leastUpperBound(end);
          fall = LifetimeStore.BOTTOM;
        } else {
          for (StatementTree st : c.getStatements()) {
            in = statement(st, in);
          }
          fall = in;
        }
      }
    } finally {
      targets.pop();
    }
    LifetimeStore exit = fall.leastUpperBound(t.breaks);
    return hasDefault ? exit : exit.leastUpperBound(s);
  }

  /** A loop condition; none (or the literal {@code true}) never exits. */
  private Out condition(@Nullable ExpressionTree cond, LifetimeStore s) {
    if (cond == null || (strip(cond) instanceof LiteralTree l && Boolean.TRUE.equals(l.getValue()))) {
      return new Out(s, LifetimeStore.BOTTOM, null);
    }
    return eval(cond, s);
  }

  /**
   * An enhanced for. Over an {@code Iterable}, the CFG calls {@code iterator()} on the expression (a use of it,
   * reported at the expression) and assigns {@code next()} to the variable; over an array, an element, which
   * carries no lifetime. Neither synthetic call has exception edges in the CFG.
   */
  private LifetimeStore forEach(@Nullable Name label, EnhancedForLoopTree f, LifetimeStore s) {
    ExpressionTree expr = f.getExpression();
    s = eval(expr, s).merged();
    Type exprType = (Type) ASTHelpers.getType(expr);
    VarSymbol var = ASTHelpers.getSymbol(f.getVariable());
    LifetimeValue element;
    if (exprType == null || var == null) {
      throw unsupported(f);
    }
    if (exprType.getKind() == TypeKind.ARRAY) {
      element = LifetimeValue.NONE;
    } else {
      MethodSymbol iterator = rules.member(exprType, "iterator");
      if (iterator == null) {
        throw unsupported(f);
      }
      LifetimeRules.Step it = rules.call(expr, false, iterator, operand(expr, s), List.of(), LifetimeValue.NONE, s);
      for (Event e : it.events()) {
        if (!(e instanceof Event.BindingUse)) {
          throw unsupported(f);
        }
      }
      record(strip(expr), it.events());
      element = rules.typeFacts(var.type);
    }
    LifetimeValue value = element;
    // hasNext() decides nothing the analysis tracks: both ways carry the head's store.
    return fixpoint(f, label, s, Out::of, false, in -> statement(f.getStatement(), in.withLocal(var, value)), List.of());
  }

  // ---- expressions ----

  /** After an expression: the stores where it is true and false (the same store unless it decides a section). */
  private record Out(LifetimeStore then, LifetimeStore els, @Nullable Object decides) {
    static Out of(LifetimeStore s) {
      return new Out(s, s, null);
    }

    LifetimeStore merged() {
      return then == els ? then : then.leastUpperBound(els);
    }
  }

  private static ExpressionTree strip(ExpressionTree e) {
    while (e instanceof ParenthesizedTree p) {
      e = p.getExpression();
    }
    return e;
  }

  private Out eval(@Nullable ExpressionTree e0, LifetimeStore s) {
    if (e0 == null || s.isBottom()) {
      return Out.of(s);
    }
    ExpressionTree e = strip(e0);
    switch (e) {
      case LiteralTree l -> {
        return Out.of(s);
      }
      case IdentifierTree id -> {
        Symbol sym = ASTHelpers.getSymbol(id);
        if (isLocal(sym)) {
          checkUnboxing(sym, s);
          LifetimeRules.Step split = rules.localRead(sym, ASTHelpers.getType(id) != null
              && ASTHelpers.getType(id).getKind() == TypeKind.BOOLEAN, s);
          return split == null ? Out.of(s) : new Out(split.then(), split.els(), split.decides());
        }
        if (isField(sym)) {
          Operand field = operand(id, s);
          checkUnboxing(field);
          record(id, rules.fieldAccess(id, field.receiver(), s));
        }
        return Out.of(s);
      }
      case MemberSelectTree ms -> {
        Symbol sym = ASTHelpers.getSymbol(ms);
        if (isField(sym)) {
          if (Vocabulary.isStatic(sym)) {
            return Out.of(s);
          }
          s = eval(ms.getExpression(), s).merged();
          Operand field = operand(ms, s);
          checkUnboxing(field);
          record(ms, rules.fieldAccess(ms, field.receiver(), s));
          return Out.of(s);
        }
        if (sym == null || sym.getKind() == ElementKind.PACKAGE || sym instanceof ClassSymbol) {
          return Out.of(s);
        }
        throw unsupported(ms); // Outer.this, and anything else
      }
      case MethodInvocationTree mit -> {
        return call(mit, s);
      }
      case NewClassTree nc -> {
        s = eval(nc.getEnclosingExpression(), s).merged();
        for (ExpressionTree a : nc.getArguments()) {
          s = eval(a, s).merged();
        }
        Symbol ctor = ASTHelpers.getSymbol(nc);
        raiseFrom(ctor instanceof MethodSymbol m ? m : null, s, s, false);
        return Out.of(s);
      }
      case AssignmentTree as -> {
        ExpressionTree target = strip(as.getVariable());
        Symbol sym = ASTHelpers.getSymbol(target);
        if (isLocal(sym) && target instanceof IdentifierTree) {
          Out v = eval(as.getExpression(), s);
          LifetimeStore at = v.merged();
          Operand t = new Operand(target, rules.localValue(sym, at), null, (Type) ASTHelpers.getType(target),
              Operand.Shape.LOCAL, sym, null);
          return Out.of(assign(as, t, as.getExpression(), v, at));
        }
        if (isField(sym)) {
          LifetimeStore at = s;
          if (target instanceof MemberSelectTree ms && !Vocabulary.isStatic(sym)) {
            at = eval(ms.getExpression(), at).merged();
          }
          // The CFG visits no field access for the target of a store: the store is the event.
          Out v = eval(as.getExpression(), at);
          at = v.merged();
          return Out.of(assign(as, operand(target, at), as.getExpression(), v, at));
        }
        if (target instanceof ArrayAccessTree aa) {
          // An array element carries no lifetime: the store is only its subexpressions.
          s = eval(aa.getExpression(), s).merged();
          s = eval(aa.getIndex(), s).merged();
          return Out.of(eval(as.getExpression(), s).merged());
        }
        throw unsupported(as);
      }
      case CompoundAssignmentTree ca -> {
        return Out.of(localUpdate(ca, ca.getVariable(), ca.getExpression(), s));
      }
      case UnaryTree u -> {
        switch (u.getKind()) {
          case LOGICAL_COMPLEMENT -> {
            Out o = eval(u.getExpression(), s);
            return new Out(o.els, o.then, null);
          }
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> {
            return Out.of(localUpdate(u, u.getExpression(), null, s));
          }
          default -> {
            return Out.of(eval(u.getExpression(), s).merged());
          }
        }
      }
      case BinaryTree b -> {
        if (b.getKind() == Tree.Kind.CONDITIONAL_AND) {
          Out l = eval(b.getLeftOperand(), s);
          Out r = eval(b.getRightOperand(), l.then);
          return new Out(r.then, l.els.leastUpperBound(r.els), r.decides);
        }
        if (b.getKind() == Tree.Kind.CONDITIONAL_OR) {
          Out l = eval(b.getLeftOperand(), s);
          Out r = eval(b.getRightOperand(), l.els);
          return new Out(l.then.leastUpperBound(r.then), r.els, null);
        }
        s = eval(b.getLeftOperand(), s).merged();
        return Out.of(eval(b.getRightOperand(), s).merged());
      }
      case ConditionalExpressionTree c -> {
        Out cond = eval(c.getCondition(), s);
        LifetimeStore t = eval(c.getTrueExpression(), cond.then).merged();
        LifetimeStore f = eval(c.getFalseExpression(), cond.els).merged();
        return Out.of(t.leastUpperBound(f));
      }
      case TypeCastTree tc -> {
        return Out.of(eval(tc.getExpression(), s).merged());
      }
      case ArrayAccessTree aa -> {
        s = eval(aa.getExpression(), s).merged();
        return Out.of(eval(aa.getIndex(), s).merged());
      }
      case InstanceOfTree io -> {
        if (io.getPattern() != null) {
          throw unsupported(io);
        }
        return Out.of(eval(io.getExpression(), s).merged());
      }
      case LambdaExpressionTree lt -> {
        lambdaStores.put(key(lt), s);
        return Out.of(s);
      }
      case MemberReferenceTree mr -> {
        s = eval(mr.getQualifierExpression(), s).merged();
        return Out.of(s);
      }
      case NewArrayTree na -> {
        if (na.getDimensions() != null) {
          for (ExpressionTree d : na.getDimensions()) {
            s = eval(d, s).merged();
          }
        }
        if (na.getInitializers() != null) {
          for (ExpressionTree i : na.getInitializers()) {
            s = eval(i, s).merged();
          }
        }
        return Out.of(s);
      }
      default -> throw unsupported(e);
    }
  }

  /** {@code x += e}, {@code x++}: a local gets a number, which carries no lifetime. */
  private LifetimeStore localUpdate(Tree tree, ExpressionTree variable, @Nullable ExpressionTree rhs, LifetimeStore s) {
    ExpressionTree v = strip(variable);
    Symbol sym = ASTHelpers.getSymbol(v);
    if (isField(sym)) {
      // A number stored into a field: no lifetime, so no store event; the read of the field is a use, which
      // only matters through a binding-scoped receiver (left to the CFG, which reads it twice).
      if (v instanceof MemberSelectTree ms && !Vocabulary.isStatic(sym)) {
        s = eval(ms.getExpression(), s).merged();
      }
      Operand target = operand(v, s);
      if (target.receiver() != null && target.receiver().value().binding() != null) {
        throw unsupported(variable);
      }
      return rhs == null ? s : eval(rhs, s).merged();
    }
    if (!(v instanceof IdentifierTree) || !isLocal(sym)) {
      throw unsupported(variable);
    }
    if (rhs != null) {
      s = eval(rhs, s).merged();
    }
    return s.withLocal(sym, LifetimeValue.NONE);
  }

  private Out call(MethodInvocationTree mit, LifetimeStore s) {
    MethodSymbol m = (MethodSymbol) ASTHelpers.getSymbol(mit);
    if (m == null) {
      throw unsupported(mit);
    }
    ExpressionTree select = mit.getMethodSelect();
    if (select instanceof MemberSelectTree ms && !Vocabulary.isStatic(m)) {
      s = eval(ms.getExpression(), s).merged();
    }
    for (ExpressionTree a : mit.getArguments()) {
      s = eval(a, s).merged();
    }
    if (plainCall(mit, m, s)) {
      // Nothing to record and the store is unchanged; only its exceptions go somewhere.
      record(mit, List.of());
      raiseFrom(m, s, s, false);
      return Out.of(s);
    }
    Operand recv = receiver(mit, m, s);
    checkUnboxing(recv);
    List<Operand> args = arguments(mit, m, s);
    LifetimeRules.Step step = rules.call(mit, true, m, recv, args, rules.callValue(m, mit, ASTHelpers.getType(mit)), s);
    if (step.value().binding() != null) {
      checkUnboxing(new Operand(mit, step.value(), null, (Type) ASTHelpers.getType(mit), Operand.Shape.OTHER, null, null));
    }
    record(mit, step.events());
    raiseFrom(m, s, step.after(), step.afterOnException());
    return step.conditional() ? new Out(step.then(), step.els(), step.decides()) : Out.of(step.after());
  }

  /**
   * A call of a method the vocabulary says nothing of, whose receiver, arguments and result carry no
   * binding-scoped value: the rules would make no event and change nothing, so no operands are built for it.
   * (Most calls in driver code are these.)
   */
  private boolean plainCall(MethodInvocationTree mit, MethodSymbol m, LifetimeStore s) {
    Vocabulary.MethodFacts facts = rules.facts(m);
    if (!facts.plain) {
      return false;
    }
    if (!Vocabulary.isStatic(m)) {
      LifetimeValue recv = mit.getMethodSelect() instanceof MemberSelectTree ms
          ? valueOf(ms.getExpression(), s)
          : implicitThis(m).value();
      if (recv.binding() != null) {
        return false;
      }
    }
    for (ExpressionTree a : mit.getArguments()) {
      if (valueOf(a, s).binding() != null) {
        return false;
      }
    }
    if (facts.plainResult) {
      return true;
    }
    LifetimeValue result = rules.callValue(m, mit, ASTHelpers.getType(mit));
    return result.binding() == null && result.scopedSection() == null && result.drm() == null
        && result.ownedByBinding() == null;
  }

  /** The receiver as the CFG has it: the written expression, an implicit {@code this}, or the class of a static call. */
  private @Nullable Operand receiver(MethodInvocationTree mit, MethodSymbol m, LifetimeStore s) {
    ExpressionTree select = mit.getMethodSelect();
    if (select instanceof MemberSelectTree ms) {
      if (Vocabulary.isStatic(m)) {
        return new Operand(ms.getExpression(), LifetimeValue.NONE, null, null,
            Operand.Shape.OTHER, null, null);
      }
      return operand(ms.getExpression(), s);
    }
    if (Vocabulary.isStatic(m)) {
      return new Operand(null, LifetimeValue.NONE, m.owner.getSimpleName().toString(), null, Operand.Shape.OTHER, null, null);
    }
    return implicitThis(m);
  }

  private List<Operand> arguments(MethodInvocationTree mit, MethodSymbol m, LifetimeStore s) {
    List<? extends ExpressionTree> as = mit.getArguments();
    boolean varargs = ((JCMethodInvocation) mit).varargsElement != null;
    int fixed = varargs ? m.getParameters().size() - 1 : as.size();
    List<Operand> out = new ArrayList<>(fixed + 1);
    for (int i = 0; i < fixed; i++) {
      out.add(operand(as.get(i), s));
    }
    if (varargs) {
      // The CFG wraps the trailing arguments in one synthetic array: no lifetime of its own.
      out.add(new Operand(null, LifetimeValue.NONE, "varargs", null, Operand.Shape.OTHER, null, null));
    }
    return out;
  }

  private Operand implicitThis(Symbol member) {
    for (ClassSymbol c : enclosingClasses) {
      if (c.isSubClass(member.owner, types)) {
        return new Operand(null, rules.typeFacts(c.type), "this", c.type, Operand.Shape.IMPLICIT_THIS, null, null);
      }
    }
    throw unsupported(null);
  }

  /** An expression at its point of use, as an operand. */
  private Operand operand(ExpressionTree e0, LifetimeStore s) {
    ExpressionTree e = strip(e0);
    Type type = (Type) ASTHelpers.getType(e);
    Symbol sym = e instanceof IdentifierTree || e instanceof MemberSelectTree ? ASTHelpers.getSymbol(e) : null;
    if (e instanceof IdentifierTree id && id.getName().contentEquals("this")) {
      return new Operand(e, rules.typeFacts(type), "this", type, Operand.Shape.THIS, null, null);
    }
    if (isLocal(sym)) {
      return new Operand(e, rules.localValue(sym, s), null, type, Operand.Shape.LOCAL, sym, null);
    }
    if (isField(sym)) {
      Operand recv = Vocabulary.isStatic(sym) ? null
          : e instanceof MemberSelectTree ms ? operand(ms.getExpression(), s) : implicitThis(sym);
      return new Operand(e, rules.declared(sym), null, type, Operand.Shape.FIELD, sym, recv);
    }
    return new Operand(e, valueOf(e, s), null, type, Operand.Shape.OTHER, null, null);
  }

  /** The value of an expression at {@code s}, without evaluating it again. */
  private LifetimeValue valueOf(ExpressionTree e0, LifetimeStore s) {
    ExpressionTree e = strip(e0);
    switch (e) {
      case IdentifierTree id -> {
        Symbol sym = ASTHelpers.getSymbol(id);
        if (id.getName().contentEquals("this")) {
          return rules.typeFacts(ASTHelpers.getType(id));
        }
        return isLocal(sym) ? rules.localValue(sym, s) : isField(sym) ? rules.declared(sym) : LifetimeValue.NONE;
      }
      case MemberSelectTree ms -> {
        Symbol sym = ASTHelpers.getSymbol(ms);
        return isField(sym) ? rules.declared(sym) : LifetimeValue.NONE;
      }
      case MethodInvocationTree mit -> {
        MethodSymbol m = (MethodSymbol) ASTHelpers.getSymbol(mit);
        return rules.callValue(m, mit, ASTHelpers.getType(mit));
      }
      case TypeCastTree tc -> {
        return valueOf(tc.getExpression(), s);
      }
      case ConditionalExpressionTree c -> {
        return valueOf(c.getTrueExpression(), s).leastUpperBound(valueOf(c.getFalseExpression(), s));
      }
      case AssignmentTree as -> {
        return valueOf(as.getExpression(), s);
      }
      case NewClassTree nc -> {
        return rules.typeFacts(ASTHelpers.getType(nc));
      }
      default -> {
        return LifetimeValue.NONE;
      }
    }
  }

  /** javac unboxes a boxed value with a call the CFG models and this walk does not: leave such bodies to the CFG. */
  private void checkUnboxing(@Nullable Operand op) {
    if (op != null && op.value().binding() != null && rules.isBoxed(op.type())) {
      throw unsupported(op.tree());
    }
  }

  private void checkUnboxing(Symbol local, LifetimeStore s) {
    if (rules.localValue(local, s).binding() != null && rules.isBoxed((Type) local.type)) {
      throw unsupported(null);
    }
  }

  private static boolean isLocal(@Nullable Symbol sym) {
    if (sym == null) {
      return false;
    }
    return switch (sym.getKind()) {
      case LOCAL_VARIABLE, PARAMETER, EXCEPTION_PARAMETER, RESOURCE_VARIABLE, BINDING_VARIABLE -> true;
      default -> false;
    };
  }

  private static boolean isField(@Nullable Symbol sym) {
    return sym != null && (sym.getKind() == ElementKind.FIELD || sym.getKind() == ElementKind.ENUM_CONSTANT);
  }

  private Object key(Tree t) {
    return copy == ROOT ? t : List.of(t, copy);
  }

  private void record(Tree t, List<Event> es) {
    if (es.isEmpty()) {
      events.remove(key(t));
    } else {
      events.put(key(t), es);
    }
  }
}
