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
 * The CFG engine's transfer function: turns each CFG node into {@link Operand}s and asks {@link LifetimeRules}
 * what the step does. Events are recorded per CFG node and overwritten on every visit: the worklist runs a block
 * again after each change of its input, so the last visit of a node sees the fixpoint.
 */
final class LifetimeTransfer
    extends AbstractNodeVisitor<
        TransferResult<LifetimeValue, LifetimeStore>, TransferInput<LifetimeValue, LifetimeStore>>
    implements ForwardTransferFunction<LifetimeValue, LifetimeStore> {

  private final LifetimeRules rules;
  private final LifetimeStore initial;

  /** Events per node, replaced on each visit. */
  final Map<Node, List<Event>> events = new IdentityHashMap<>();
  /** The store before each lambda creation node, to seed runs-now lambdas. */
  final Map<Node, LifetimeStore> lambdaStores = new IdentityHashMap<>();
  /** For a boolean-valued node: the section token its truth decides. */
  private final Map<Node, Object> decides = new IdentityHashMap<>();

  LifetimeTransfer(LifetimeRules rules, LifetimeStore initial) {
    this.rules = rules;
    this.initial = initial;
  }

  @Override
  public LifetimeStore initialStore(UnderlyingAST ast, List<LocalVariableNode> params) {
    return initial;
  }

  // ---- results and exception edges ----

  private TransferResult<LifetimeValue, LifetimeStore> result(Node n, LifetimeStore before, LifetimeRules.Step step) {
    setEvents(n, step.events());
    if (step.decides() != null) {
      decides.put(n, step.decides());
    }
    if (step.conditional()) {
      return new ConditionalTransferResult<>(
          step.value(), step.then(), step.els(), exceptional(n, before, before, false));
    }
    return new RegularTransferResult<>(
        step.value(), step.after(), exceptional(n, before, step.after(), step.afterOnException()));
  }

  private TransferResult<LifetimeValue, LifetimeStore> regular(Node n, LifetimeStore s, LifetimeValue v) {
    return new RegularTransferResult<>(v, s, exceptional(n, s, s, false));
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
      return rules.counts(null, true, cause);
    }
    if (n instanceof MethodInvocationNode mi) {
      return rules.counts((MethodSymbol) mi.getTarget().getMethod(), false, cause);
    }
    if (n instanceof ObjectCreationNode oc && oc.getTree() != null) {
      Symbol s = com.google.errorprone.util.ASTHelpers.getSymbol(oc.getTree());
      return rules.counts(s instanceof MethodSymbol ms ? ms : null, false, cause);
    }
    return false;
  }

  private TransferResult<LifetimeValue, LifetimeStore> unreachable(Node n) {
    events.remove(n);
    return new RegularTransferResult<>(
        LifetimeValue.NONE, LifetimeStore.BOTTOM, exceptional(n, LifetimeStore.BOTTOM, LifetimeStore.BOTTOM, false));
  }

  private void setEvents(Node n, List<Event> es) {
    if (es.isEmpty()) {
      events.remove(n);
    } else {
      events.put(n, es);
    }
  }

  // ---- operands ----

  private Operand operand(Node n, LifetimeStore s) {
    Tree tree = n.getTree();
    Type type = (Type) n.getType();
    if (n instanceof LocalVariableNode lv) {
      Symbol sym = (Symbol) lv.getElement();
      return new Operand(tree, rules.localValue(sym, s), fixedText(n), type, Operand.Shape.LOCAL, sym, null);
    }
    if (n instanceof FieldAccessNode fa) {
      Symbol f = (Symbol) fa.getElement();
      Operand recv = fa.isStatic() ? null : operand(fa.getReceiver(), s);
      return new Operand(tree, rules.declared(f), fixedText(n), type, Operand.Shape.FIELD, f, recv);
    }
    if (n instanceof ThisNode) {
      boolean implicit = tree == null || !n.getInSource();
      return new Operand(
          tree, rules.typeFacts(type), text(n), type, implicit ? Operand.Shape.IMPLICIT_THIS : Operand.Shape.THIS, null, null);
    }
    return new Operand(tree, valueOf(n, s), fixedText(n), type, Operand.Shape.OTHER, null, null);
  }

  private LifetimeValue valueOf(@Nullable Node n, LifetimeStore s) {
    if (n == null) {
      return LifetimeValue.NONE;
    }
    if (n instanceof LocalVariableNode lv) {
      return rules.localValue((Symbol) lv.getElement(), s);
    }
    if (n instanceof FieldAccessNode fa) {
      return rules.declared((Symbol) fa.getElement());
    }
    if (n instanceof MethodInvocationNode mi) {
      return rules.callValue((MethodSymbol) mi.getTarget().getMethod(), mi.getTree(), mi.getType());
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
      return rules.typeFacts(n.getType());
    }
    return LifetimeValue.NONE;
  }

  /** The text of a node that is not its tree's source text; null where printing the tree (later, if ever) is right. */
  private static @Nullable String fixedText(Node n) {
    return n.getTree() != null && !(n instanceof ThisNode) ? null : text(n);
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
    return regular(n, s, valueOf(n, s));
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
    if (!n.isLValue()) {
      LifetimeRules.Step split = rules.localRead((Symbol) n.getElement(), n.getType().getKind() == TypeKind.BOOLEAN, s);
      if (split != null) {
        return result(n, s, split);
      }
    }
    return regular(n, s, valueOf(n, s));
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
    return regular(n, s, LifetimeValue.NONE);
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitFieldAccess(
      FieldAccessNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    Operand field = operand(n, s);
    setEvents(n, n.getTree() == null ? List.of() : rules.fieldAccess(n.getTree(), field.receiver(), s));
    return regular(n, s, field.value());
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitAssignment(
      AssignmentNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    Node expr = n.getExpression();
    MethodInvocationNode call = expr instanceof MethodInvocationNode mi ? mi : null;
    LifetimeRules.Step step = rules.assign(
        n.getTree(), operand(n.getTarget(), s), expr.getTree(), valueOf(expr, s), decides.get(expr),
        call == null ? null : (MethodSymbol) call.getTarget().getMethod(),
        call == null || call.getTarget().getReceiver() == null ? null : operand(call.getTarget().getReceiver(), s),
        s);
    setEvents(n, step.events());
    return new RegularTransferResult<>(step.value(), step.after(), exceptional(n, s, s, false));
  }

  @Override
  public TransferResult<LifetimeValue, LifetimeStore> visitMethodInvocation(
      MethodInvocationNode n, TransferInput<LifetimeValue, LifetimeStore> in) {
    LifetimeStore s = in.getRegularStore();
    if (s.isBottom()) {
      return unreachable(n);
    }
    MethodSymbol m = (MethodSymbol) n.getTarget().getMethod();
    Node recv = n.getTarget().getReceiver();
    List<Operand> args = new ArrayList<>(n.getArguments().size());
    for (Node a : n.getArguments()) {
      args.add(operand(a, s));
    }
    LifetimeRules.Step step = rules.call(
        n.getTree(), n.getInSource(), m, recv == null ? null : operand(recv, s), args,
        valueOf(n, s), s);
    return result(n, s, step);
  }
}
