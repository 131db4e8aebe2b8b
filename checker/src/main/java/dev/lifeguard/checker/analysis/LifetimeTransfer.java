package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.lifeguard.checker.analysis.Event.Guard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.analysis.ConditionalTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.errorprone.dataflow.analysis.RegularTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.TransferInput;
import org.checkerframework.errorprone.dataflow.analysis.TransferResult;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalAndNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalNotNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ConditionalOrNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FunctionalInterfaceNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ThisNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ThrowNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TypeCastNode;
import org.jspecify.annotations.Nullable;

/**
 * The transfer function of the lifetime analysis. Events are recorded per CFG node and overwritten on every
 * visit: the worklist runs a block again after each change of its input, so the last visit of a node sees the
 * fixpoint.
 */
final class LifetimeTransfer
    extends AbstractNodeVisitor<
        TransferResult<LifetimeValue, LifetimeStore>, TransferInput<LifetimeValue, LifetimeStore>>
    implements ForwardTransferFunction<LifetimeValue, LifetimeStore> {

  private final Vocabulary vocab;
  private final Types types;
  private final LifetimeStore initial;
  private final Body body;
  private final boolean uncheckedExceptions;
  private final Set<Symbol> ownVariables;

  /** Events per node, replaced on each visit. */
  final Map<Node, List<Event>> events = new IdentityHashMap<>();
  /** The store before each lambda creation node, to seed runs-now lambdas. */
  final Map<Node, LifetimeStore> lambdaStores = new IdentityHashMap<>();
  /** For a boolean-valued node: the section token its truth decides. */
  private final Map<Node, Object> decides = new IdentityHashMap<>();

  LifetimeTransfer(
      Vocabulary vocab, LifetimeStore initial, Body body, boolean uncheckedExceptions, Set<Symbol> ownVariables) {
    this.vocab = vocab;
    this.types = vocab.types();
    this.initial = initial;
    this.body = body;
    this.uncheckedExceptions = uncheckedExceptions;
    this.ownVariables = ownVariables;
  }

  @Override
  public LifetimeStore initialStore(UnderlyingAST ast, List<LocalVariableNode> params) {
    return initial;
  }

  // ---- results and exception edges ----

  private TransferResult<LifetimeValue, LifetimeStore> regular(
      Node n, LifetimeStore before, LifetimeStore after, LifetimeValue v, boolean afterOnException) {
    return new RegularTransferResult<>(v, after, exceptional(n, before, after, afterOnException));
  }

  private TransferResult<LifetimeValue, LifetimeStore> conditional(
      Node n, LifetimeStore before, LifetimeStore then, LifetimeStore els, LifetimeValue v) {
    return new ConditionalTransferResult<>(v, then, els, exceptional(n, before, before, false));
  }

  /**
   * One store per exception type this node can throw. An edge that does not count (an implicit unchecked
   * exception, unless the flag says otherwise) gets BOTTOM, so it adds no path.
   */
  private Map<TypeMirror, LifetimeStore> exceptional(
      Node n, LifetimeStore before, LifetimeStore after, boolean afterOnException) {
    Block b = n.getBlock();
    if (!(b instanceof ExceptionBlock eb) || eb.getNode() != n) {
      return Map.of();
    }
    Map<TypeMirror, LifetimeStore> out = new HashMap<>();
    for (TypeMirror cause : eb.getExceptionalSuccessors().keySet()) {
      out.put(cause, counts(n, cause) ? (afterOnException ? after : before) : LifetimeStore.BOTTOM);
    }
    return out;
  }

  private boolean counts(Node n, TypeMirror cause) {
    if (n instanceof ThrowNode) {
      return true;
    }
    MethodSymbol m = null;
    if (n instanceof MethodInvocationNode mi) {
      m = (MethodSymbol) mi.getTarget().getMethod();
    } else if (n instanceof ObjectCreationNode oc && oc.getTree() != null) {
      Symbol s = com.google.errorprone.util.ASTHelpers.getSymbol(oc.getTree());
      m = s instanceof MethodSymbol ms ? ms : null;
    } else {
      return false;
    }
    Type t = (Type) cause;
    if (!isUnchecked(t)) {
      return true;
    }
    if (m != null) {
      for (Type thrown : m.getThrownTypes()) {
        if (types.isSameType(types.erasure(thrown), types.erasure(t))) {
          return true;
        }
      }
    }
    return uncheckedExceptions;
  }

  private boolean isUnchecked(Type t) {
    for (ClassSymbol c : t.tsym instanceof ClassSymbol cs ? vocab.supertypesOf(cs) : List.<ClassSymbol>of()) {
      String q = c.getQualifiedName().toString();
      if (q.equals("java.lang.RuntimeException") || q.equals("java.lang.Error")) {
        return true;
      }
    }
    return false;
  }

  private TransferResult<LifetimeValue, LifetimeStore> unreachable(Node n) {
    events.remove(n);
    return new RegularTransferResult<>(
        LifetimeValue.NONE, LifetimeStore.BOTTOM, exceptional(n, LifetimeStore.BOTTOM, LifetimeStore.BOTTOM, false));
  }

  private void record(Node n, Event e) {
    events.computeIfAbsent(n, k -> new ArrayList<>()).add(e);
  }

  // ---- values ----

  LifetimeValue valueOf(@Nullable Node n, LifetimeStore s) {
    if (n == null) {
      return LifetimeValue.NONE;
    }
    if (n instanceof LocalVariableNode lv) {
      Symbol sym = (Symbol) lv.getElement();
      LifetimeValue d = declared(sym);
      LifetimeValue v = s.local(sym);
      return v == null ? d : v.leastUpperBound(d);
    }
    if (n instanceof FieldAccessNode fa) {
      return declared((Symbol) fa.getElement());
    }
    if (n instanceof MethodInvocationNode mi) {
      MethodSymbol m = (MethodSymbol) mi.getTarget().getMethod();
      LifetimeValue v = typeFacts(mi.getType());
      String name = m.owner.getSimpleName() + "." + m.getSimpleName();
      if (Vocabulary.has(m, Vocabulary.BINDING_SCOPED)) {
        v = v.withBinding(new Origin(name));
      }
      if (Vocabulary.has(m, Vocabulary.DRM_SCOPED)) {
        v = v.withDrm(new Origin(name));
      }
      if (Vocabulary.stringValue(m, Vocabulary.OWNED_BY).map("BINDING"::equals).orElse(false)) {
        v = v.withOwned(new Origin(name));
      }
      if (Vocabulary.has(m, Vocabulary.DRIVERLESS)) {
        v = v.withDriverless(new Origin(name));
      }
      if (Vocabulary.isScopedEnter(m)) {
        v = new LifetimeValue(v.binding(), v.drm(), v.ownedByBinding(), mi.getTree());
      }
      return v;
    }
    if (n instanceof TypeCastNode tc) {
      return valueOf(tc.getOperand(), s);
    }
    if (n instanceof TernaryExpressionNode te) {
      return valueOf(te.getThenOperand(), s).leastUpperBound(valueOf(te.getElseOperand(), s));
    }
    if (n instanceof AssignmentNode an) {
      return valueOf(an.getExpression(), s);
    }
    if (n instanceof ObjectCreationNode || n instanceof ThisNode) {
      return typeFacts(n.getType());
    }
    return LifetimeValue.NONE;
  }

  private LifetimeValue typeFacts(@Nullable TypeMirror tm) {
    if (!(tm instanceof Type t) || t.isPrimitive()) {
      return LifetimeValue.NONE;
    }
    LifetimeValue v = LifetimeValue.NONE;
    if (vocab.isBindingScopedType(t)) {
      v = v.withBinding(new Origin(t.tsym.getSimpleName() + " is a binding-scoped type", true));
    }
    if (vocab.isDrmScopedType(t)) {
      v = v.withDrm(new Origin(t.tsym.getSimpleName() + " is a drm-lifetime type", true));
    }
    return v;
  }

  /** Facts from a variable's declaration: its annotations and its type. */
  LifetimeValue declared(Symbol sym) {
    LifetimeValue v = typeFacts(sym.type);
    boolean field = sym.getKind() == ElementKind.FIELD;
    String what = field ? "field " + sym.owner.getSimpleName() + "." + sym.getSimpleName() : sym.getSimpleName().toString();
    if (Vocabulary.has(sym, Vocabulary.BINDING_SCOPED)) {
      v = v.withBinding(new Origin(what + " is declared @BindingScoped"));
    }
    if (Vocabulary.has(sym, Vocabulary.DRM_SCOPED)) {
      v = v.withDrm(new Origin(what + " is declared @DrmScoped"));
    }
    return v;
  }

  private Guard guard(LifetimeStore s) {
    return s.anyMustHeld() ? Guard.HELD : s.anyMayHeld() ? Guard.MAYBE : Guard.NONE;
  }

  private static @Nullable Object keyOf(Node n) {
    if (n instanceof LocalVariableNode lv) {
      return lv.getElement();
    }
    if (n instanceof FieldAccessNode fa) {
      // `a.idx` and `b.idx` are two tokens: key a field by its receiver too, unless that is `this` or static.
      Object recv = fa.isStatic() || fa.getReceiver() instanceof ThisNode ? null : keyOf(fa.getReceiver());
      return recv == null ? fa.getElement() : List.of(recv, fa.getElement());
    }
    return n.getTree();
  }

  /** Device expressions as text, with an explicit {@code this.} not making a difference ({@code this.drm} is {@code drm}). */
  private static boolean sameDevice(String a, String b) {
    return unqualified(a).equals(unqualified(b));
  }

  private static String unqualified(String device) {
    return device.startsWith("this.") ? device.substring("this.".length()) : device;
  }

  private static String text(@Nullable Node n) {
    if (n == null) {
      return "this";
    }
    if (n instanceof ThisNode && (n.getTree() == null || !n.getInSource())) {
      return "this";
    }
    Tree t = n.getTree();
    return t == null ? n.toString() : t.toString();
  }

  // ---- visitors ----

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitNode(
      Node n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    events.remove(n);
    return regular(n, s, s, valueOf(n, s), false);
  }

  private TransferResult<LifetimeValue, LifetimeStore> passThrough(
      Node n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    if (in.containsTwoStores()) {
      return new ConditionalTransferResult<>(LifetimeValue.NONE, in.getThenStore(), in.getElseStore());
    }
    return new RegularTransferResult<>(LifetimeValue.NONE, s);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitConditionalAnd(
      ConditionalAndNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    Object k = decides.get(n.getRightOperand());
    if (k != null) {
      decides.put(n, k);
    }
    return passThrough(n, in);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitConditionalOr(
      ConditionalOrNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    return passThrough(n, in);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitConditionalNot(
      ConditionalNotNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    if (in.containsTwoStores()) {
      return new ConditionalTransferResult<>(LifetimeValue.NONE, in.getElseStore(), in.getThenStore());
    }
    return new RegularTransferResult<>(LifetimeValue.NONE, s);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitLocalVariable(
      LocalVariableNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    events.remove(n);
    Object token = s.condToken(n.getElement());
    if (token != null && n.getType().getKind() == TypeKind.BOOLEAN && !n.isLValue()) {
      // Reading `ok` where `ok = drm.enter(idx)`: split again.
      decides.put(n, token);
      return conditional(n, s, s.refine(token, true), s.refine(token, false), LifetimeValue.NONE);
    }
    return regular(n, s, s, valueOf(n, s), false);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitMemberReference(
      FunctionalInterfaceNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      lambdaStores.remove(n);
      return unreachable(n);
    }
    lambdaStores.put(n, s);
    return regular(n, s, s, LifetimeValue.NONE, false);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitFieldAccess(
      FieldAccessNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    events.remove(n);
    Symbol f = (Symbol) n.getElement();
    if (!f.getModifiers().contains(Modifier.STATIC) && n.getTree() != null) {
      LifetimeValue rv = valueOf(n.getReceiver(), s);
      if (rv.binding() != null) {
        record(n, new Event.BindingUse(n.getTree(), body, receiverTree(n.getReceiver(), n.getTree()), rv, guard(s)));
      }
    }
    return regular(n, s, s, valueOf(n, s), false);
  }

  private static Tree receiverTree(Node recv, Tree fallback) {
    return recv.getTree() != null ? recv.getTree() : fallback;
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitAssignment(
      AssignmentNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    events.remove(n);
    Node target = n.getTarget();
    Node expr = n.getExpression();
    LifetimeValue v = valueOf(expr, s);
    LifetimeStore out = s;
    if (target instanceof LocalVariableNode lv) {
      Object sym = lv.getElement();
      out = out.withLocal(sym, v.scopedSection() != null ? new LifetimeValue(v.binding(), v.drm(), v.ownedByBinding(), null) : v);
      Object token = decides.get(expr);
      if (token != null) {
        out = out.withCond(sym, token);
      }
      if (v.scopedSection() != null) {
        MethodInvocationNode call = expr instanceof MethodInvocationNode mi ? mi : null;
        String device = call == null ? "?" : text(call.getTarget().getReceiver());
        out = out.withSection(
            sym,
            new SectionState(
                SectionState.HELD | SectionState.FAILED,
                v.scopedSection(),
                device,
                lv.getName(),
                true,
                false));
      }
    } else if (target instanceof FieldAccessNode fa) {
      LifetimeValue rv =
          ((Symbol) fa.getElement()).getModifiers().contains(Modifier.STATIC)
              ? LifetimeValue.NONE
              : valueOf(fa.getReceiver(), s);
      record(
          n,
          new Event.FieldStore(
              n.getTree(), body, (Symbol) fa.getElement(), rv, v, expr.getTree() != null ? expr.getTree() : n.getTree()));
    }
    return regular(n, s, out, v, false);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitMethodInvocation(
      MethodInvocationNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    events.remove(n);
    MethodSymbol m = (MethodSymbol) n.getTarget().getMethod();
    Node recv = n.getTarget().getReceiver();
    List<Node> args = n.getArguments();
    Tree tree = n.getTree();
    boolean isStatic = m.isStatic();
    Guard g = guard(s);

    // Uses of binding-scoped values: the receiver, and arguments handed to code that does not declare them.
    if (!isStatic && recv != null) {
      LifetimeValue rv = valueOf(recv, s);
      if (rv.binding() != null && tree != null) {
        // A call javac synthesised (the iterator() of an enhanced for, an unboxing) has no source position of its
        // own: report it at the receiver the user wrote.
        Tree at = n.getInSource() ? tree : receiverTree(recv, tree);
        record(n, new Event.BindingUse(at, body, receiverTree(recv, tree), rv, g));
      }
    }
    boolean vocabularyCall = Vocabulary.isEnter(m) || Vocabulary.has(m, Vocabulary.EXIT)
        || Vocabulary.has(m, Vocabulary.FREES) || Vocabulary.has(m, Vocabulary.BINDING_SCOPED);
    List<VarSymbol> params = m.getParameters();
    for (int i = 0; i < args.size(); i++) {
      VarSymbol p = params.isEmpty() ? null : params.get(Math.min(i, params.size() - 1));
      if (vocabularyCall || p == null || Vocabulary.has(p, Vocabulary.BINDING_SCOPED) || Vocabulary.has(p, Vocabulary.FREES)) {
        continue;
      }
      Node a = args.get(i);
      LifetimeValue av = valueOf(a, s);
      if (av.binding() != null && a.getTree() != null) {
        record(n, new Event.BindingUse(a.getTree(), body, a.getTree(), av, g));
      }
    }

    if (tree != null && Vocabulary.hasVocabulary(m)) {
      record(n, new Event.Call(tree, body, m));
    }
    if (tree != null && !args.isEmpty()
        && (vocab.registersDevres(m)
            || Vocabulary.stringValue(m, Vocabulary.OWNED_BY).map("BINDING"::equals).orElse(false))) {
      Node owner = args.get(0);
      record(n, new Event.DevresOn(tree, body, owner.getTree() != null ? owner.getTree() : tree, valueOf(owner, s)));
    }

    // Frees. A freed local is marked, so a second free of it on the same path is seen.
    LifetimeStore freedStore = s;
    if (Vocabulary.has(m, Vocabulary.FREES) && !isStatic) {
      freedStore = recordFree(n, recv, s, freedStore);
    }
    for (int i = 0; i < args.size() && i < params.size(); i++) {
      if (Vocabulary.has(params.get(i), Vocabulary.FREES)) {
        freedStore = recordFree(n, args.get(i), s, freedStore);
      }
    }

    if (Vocabulary.has(m, Vocabulary.UNPLUGS)) {
      for (SectionState st : s.sections().values()) {
        if (st.mayHeld()) {
          record(n, new Event.UnplugInSection(tree, body, st.tokenName(), st.mustHeld()));
          break;
        }
      }
    }

    LifetimeValue v = valueOf(n, s);
    int ti = Vocabulary.tokenIndex(m);
    if (Vocabulary.isEnter(m) && !Vocabulary.isScopedEnter(m) && ti >= 0 && ti < args.size()) {
      Node tokenArg = args.get(ti);
      Object key = keyOf(tokenArg);
      SectionState old = s.section(key);
      if (old != null && old.mayHeld() && !old.inherited()) {
        record(n, new Event.ReEnter(tree, body, text(tokenArg)));
      }
      SectionState fresh = new SectionState(SectionState.HELD, tree, text(recv), text(tokenArg), false, false);
      LifetimeStore base = s.dropCondsFor(key);
      decides.put(n, key);
      return conditional(
          n, s, base.withSection(key, fresh), base.withSection(key, fresh.withMask(SectionState.FAILED)), v);
    }
    if (Vocabulary.has(m, Vocabulary.ENTERED) && recv != null) {
      Object key = keyOf(recv);
      SectionState st = s.section(key);
      if (st != null) {
        decides.put(n, key);
        return conditional(n, s, s.refine(key, true), s.refine(key, false), v);
      }
    }
    if (Vocabulary.has(m, Vocabulary.EXIT) && ti >= 0 && ti < args.size()) {
      Node tokenArg = args.get(ti);
      Object key = keyOf(tokenArg);
      SectionState st = s.section(key);
      int mask = st == null ? SectionState.NEVER : st.mask();
      String device = text(recv);
      String enteredOn = st != null && st.enterTree() != null && !sameDevice(st.device(), device) ? st.device() : null;
      String other = null;
      if ((mask & SectionState.HELD) == 0) {
        for (SectionState o : s.sections().values()) {
          if (o.mayHeld() && !o.scoped()) {
            other = o.tokenName();
            break;
          }
        }
      }
      boolean captured = mask == SectionState.NEVER && body.mode() == Body.Mode.RUNS_LATER
          && key instanceof Symbol sym && !ownVariables.contains(sym);
      record(n, new Event.ExitCall(tree, body, key, text(tokenArg), device, mask, enteredOn, other, captured));
      SectionState after = st == null
          ? new SectionState(SectionState.EXITED, null, device, text(tokenArg), false, false)
          : st.withMask(SectionState.EXITED);
      LifetimeStore out = s.dropCondsFor(key).withSection(key, after);
      // An exit is done even when something throws after it: never leak a section through its own exit.
      return regular(n, s, out, v, true);
    }
    if (isClose(m) && recv != null && args.isEmpty()) {
      Object key = keyOf(recv);
      SectionState st = s.section(key);
      if (st != null && st.scoped()) {
        LifetimeStore out = s.dropCondsFor(key).withSection(key, st.withMask(SectionState.EXITED));
        return regular(n, s, out, v, true);
      }
    }
    return regular(n, s, freedStore, v, false);
  }

  /** {@code AutoCloseable.close()} (or an override): ends a scoped section. */
  private boolean isClose(MethodSymbol m) {
    if (!m.getSimpleName().contentEquals("close") || !m.getParameters().isEmpty()) {
      return false;
    }
    return m.owner instanceof ClassSymbol c
        && vocab.supertypesOf(c).stream().anyMatch(x -> x.getQualifiedName().contentEquals("java.lang.AutoCloseable"));
  }

  private LifetimeStore recordFree(MethodInvocationNode n, @Nullable Node freed, LifetimeStore s, LifetimeStore out) {
    if (n.getTree() == null) {
      return out;
    }
    LifetimeValue v = freed == null ? LifetimeValue.NONE : valueOf(freed, s);
    Type t = freed == null ? null : (Type) freed.getType();
    boolean container = t != null && vocab.isDeviceType(t)
        && (freed instanceof ThisNode || body.context().releaseHook());
    String via = null;
    if (freed instanceof FieldAccessNode fa && !(fa.getReceiver() instanceof ThisNode && !fa.getReceiver().getInSource())) {
      Type rt = (Type) fa.getReceiver().getType();
      if (vocab.isDeviceType(rt)) {
        via = text(fa.getReceiver());
      }
    } else if (freed instanceof FieldAccessNode fa) {
      Type rt = (Type) fa.getReceiver().getType();
      if (vocab.isDeviceType(rt)) {
        via = "this";
      }
    }
    Tree ft = freed != null && freed.getTree() != null ? freed.getTree() : n.getTree();
    Tree again = null;
    if (freed instanceof LocalVariableNode lv) {
      LifetimeValue local = s.local(lv.getElement());
      again = local == null ? null : local.freedBy();
      LifetimeValue current = out.local(lv.getElement());
      out = out.withLocal(lv.getElement(), (current == null ? declared((Symbol) lv.getElement()) : current)
          .withFreedBy(n.getTree()));
    }
    record(n, new Event.Free(n.getTree(), body, ft, v, container, via, again));
    return out;
  }
}
