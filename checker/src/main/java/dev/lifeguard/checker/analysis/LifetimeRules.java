package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.lifeguard.checker.analysis.Event.Guard;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeMirror;
import org.jspecify.annotations.Nullable;

/**
 * What each kind of step does to the lifetime facts, independent of the engine that drives it: the CFG transfer
 * function ({@link LifetimeTransfer}) and the structured tree walk ({@link StructuredWalk}) both call these, so
 * the two cannot drift apart.
 */
final class LifetimeRules {
  private final Vocabulary vocab;
  private final Types types;
  private final Body body;
  private final boolean uncheckedExceptions;
  private final java.util.function.Supplier<Set<Symbol>> ownVariables;
  private final Symtab symtab;

  /** @param ownVariables the variables declared in the body, computed only if an exit needs them */
  LifetimeRules(Vocabulary vocab, Symtab symtab, Body body, boolean uncheckedExceptions,
      java.util.function.Supplier<Set<Symbol>> ownVariables) {
    this.vocab = vocab;
    this.symtab = symtab;
    this.types = vocab.types();
    this.body = body;
    this.uncheckedExceptions = uncheckedExceptions;
    this.ownVariables = ownVariables;
  }

  Body body() {
    return body;
  }

  /**
   * The result of one step.
   *
   * @param value the step's value
   * @param after the store after it (the merge of both branches when it is conditional)
   * @param then the store where its value is true, when it decides a section (else null)
   * @param els the store where its value is false, when it decides a section
   * @param decides the section token its truth decides, if any
   * @param afterOnException an exception thrown by it leaves the store after it, not before
   * @param events what it found
   */
  record Step(
      LifetimeValue value,
      LifetimeStore after,
      @Nullable LifetimeStore then,
      @Nullable LifetimeStore els,
      @Nullable Object decides,
      boolean afterOnException,
      List<Event> events) {
    boolean conditional() {
      return then != null;
    }
  }

  // ---- values ----

  /** The facts of a call's result, from the called method's declaration and its return type. */
  LifetimeValue callValue(MethodSymbol m, @Nullable Tree tree, @Nullable TypeMirror type) {
    LifetimeValue v = typeFacts(type);
    Vocabulary.MethodFacts f = vocab.methodFacts(m);
    LifetimeValue d = f.result;
    if (d.binding() != null) {
      v = v.withBinding(d.binding());
    }
    if (d.drm() != null) {
      v = v.withDrm(d.drm());
    }
    if (d.ownedByBinding() != null) {
      v = v.withOwned(d.ownedByBinding());
    }
    if (d.driverless() != null) {
      v = v.withDriverless(d.driverless());
    }
    if (f.scopedEnter) {
      v = new LifetimeValue(v.binding(), v.drm(), v.ownedByBinding(), tree);
    }
    return v;
  }

  /** A local's facts: its declaration, joined with what was assigned to it on the way here. */
  LifetimeValue localValue(Symbol sym, LifetimeStore s) {
    LifetimeValue d = declared(sym);
    LifetimeValue v = s.local(sym);
    return v == null ? d : v.leastUpperBound(d);
  }

  LifetimeValue typeFacts(@Nullable TypeMirror tm) {
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

  /** Facts from a variable's declaration: its annotations and its type (once per variable: every read asks). */
  LifetimeValue declared(Symbol sym) {
    return vocab.cachedDeclared(sym, computeDeclared);
  }

  // Made once per body: a method reference at each read would be allocated at each read.
  private final java.util.function.Function<Symbol, LifetimeValue> computeDeclared = this::computeDeclared;

  private LifetimeValue computeDeclared(Symbol sym) {
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

  private static Guard guard(LifetimeStore s) {
    return s.anyMustHeld() ? Guard.HELD : s.anyMayHeld() ? Guard.MAYBE : Guard.NONE;
  }

  // ---- exceptions ----

  /**
   * Whether an exception of type {@code cause} leaving a call of {@code m} (null for a {@code throw}) is a path
   * the analysis follows: thrown explicitly, checked, or declared; an implicit unchecked one only when the flag
   * says so.
   */
  boolean counts(@Nullable MethodSymbol m, boolean isThrow, TypeMirror cause) {
    if (isThrow) {
      return true;
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

  /** Whether the implicit unchecked exceptions of calls count as ways out (see {@link #counts}). */
  boolean uncheckedExceptions() {
    return uncheckedExceptions;
  }

  boolean isBoxed(@Nullable Type t) {
    return vocab.isBoxed(t);
  }

  Type runtimeException() {
    return symtab.runtimeExceptionType;
  }

  Type error() {
    return symtab.errorType;
  }

  /**
   * The no-argument method {@code name} of type {@code t}, the most specific one: the {@code close()} a
   * try-with-resources calls, the {@code iterator()} of an enhanced for.
   */
  @Nullable MethodSymbol member(Type t, String name) {
    if (!(t.tsym instanceof ClassSymbol cs)) {
      return null;
    }
    for (ClassSymbol c : vocab.supertypesOf(cs)) {
      for (Symbol m : c.members().getSymbolsByName(c.name.table.fromString(name))) {
        if (m instanceof MethodSymbol ms && ms.getParameters().isEmpty()) {
          return ms;
        }
      }
    }
    return null;
  }

  boolean isUnchecked(Type t) {
    return vocab.isUnchecked(t);
  }

  // ---- steps ----

  /** A field read or write through {@code receiver} (null for a static field). */
  List<Event> fieldAccess(Tree tree, @Nullable Operand receiver, LifetimeStore s) {
    if (receiver != null && receiver.value().binding() != null) {
      return List.of(new Event.BindingUse(tree, body, receiverTree(receiver, tree), receiver.value(), guard(s)));
    }
    return List.of();
  }

  private static Tree receiverTree(Operand recv, Tree fallback) {
    return recv.tree() != null ? recv.tree() : fallback;
  }

  /** Reading a boolean local: when it holds an enter result, its truth decides that section again. */
  @Nullable Step localRead(Symbol sym, boolean isBoolean, LifetimeStore s) {
    Object token = s.condToken(sym);
    if (token == null || !isBoolean) {
      return null;
    }
    return new Step(LifetimeValue.NONE, s, s.refine(token, true), s.refine(token, false), token, false, List.of());
  }

  /**
   * An assignment (or a declaration with an initializer) of {@code value} to {@code target}.
   *
   * @param valueDecides the section token the assigned expression's truth decides, if any
   */
  Step assign(Tree tree, Operand target, @Nullable Tree valueTree, LifetimeValue v, @Nullable Object valueDecides,
      @Nullable MethodSymbol valueCall, @Nullable Operand valueCallReceiver, LifetimeStore s) {
    LifetimeStore out = s;
    List<Event> events = List.of();
    if (target.shape() == Operand.Shape.LOCAL) {
      Symbol sym = target.symbol();
      out = out.withLocal(sym, v.scopedSection() != null ? new LifetimeValue(v.binding(), v.drm(), v.ownedByBinding(), null) : v);
      if (valueDecides != null) {
        out = out.withCond(sym, valueDecides);
      }
      if (v.scopedSection() != null) {
        String device = valueCall == null ? "?" : text(valueCallReceiver);
        out = out.withSection(
            sym,
            new SectionState(SectionState.HELD | SectionState.FAILED, v.scopedSection(), device,
                sym.getSimpleName().toString(), true, false));
      }
    } else if (target.shape() == Operand.Shape.FIELD && (v.drm() != null || v.binding() != null)) {
      // Only a value with a lifetime can make a store wrong; a number or a plain object cannot.
      Symbol f = target.symbol();
      LifetimeValue rv = f.getModifiers().contains(Modifier.STATIC) || target.receiver() == null
          ? LifetimeValue.NONE
          : target.receiver().value();
      events = List.of(new Event.FieldStore(tree, body, f, rv, v, valueTree != null ? valueTree : tree));
    }
    return new Step(v, out, null, null, null, false, events);
  }

  /** Source text of a receiver for messages ({@code this} when there is none). */
  static String text(@Nullable Operand o) {
    return o == null ? "this" : o.text();
  }

  /**
   * A method call.
   *
   * @param tree the call's tree
   * @param inSource false for a call javac synthesised (the iterator of an enhanced for, an unboxing)
   * @param recv the receiver (null for a static call)
   * @param args the arguments, one per parameter (a varargs array is one argument)
   * @param value the call's value, from {@link #callValue}
   */
  Step call(@Nullable Tree tree, boolean inSource, MethodSymbol m, @Nullable Operand recv, List<Operand> args,
      LifetimeValue value, LifetimeStore s) {
    List<Event> events = new ArrayList<>(2);
    boolean isStatic = Vocabulary.isStatic(m);
    Vocabulary.MethodFacts f = vocab.methodFacts(m);

    // Uses of binding-scoped values: the receiver, and arguments handed to code that does not declare them.
    if (!isStatic && recv != null && recv.value().binding() != null && tree != null) {
      // A call javac synthesised has no source position of its own: report it at the receiver the user wrote.
      Tree at = inSource ? tree : receiverTree(recv, tree);
      events.add(new Event.BindingUse(at, body, receiverTree(recv, tree), recv.value(), guard(s)));
    }
    boolean vocabularyCall = f.enter || f.exit || f.frees || f.bindingScoped;
    int params = f.paramTakesBinding.length;
    for (int i = 0; i < args.size(); i++) {
      if (vocabularyCall || params == 0 || f.paramTakesBinding[Math.min(i, params - 1)]) {
        continue;
      }
      Operand a = args.get(i);
      if (a.value().binding() != null && a.tree() != null) {
        events.add(new Event.BindingUse(a.tree(), body, a.tree(), a.value(), guard(s)));
      }
    }
    if (f.plain) {
      return new Step(value, s, null, null, null, false, events);
    }

    if (tree != null && f.annotated) {
      events.add(new Event.Call(tree, body, m));
    }
    if (tree != null && !args.isEmpty() && f.devres) {
      Operand owner = args.get(0);
      events.add(new Event.DevresOn(tree, body, owner.tree() != null ? owner.tree() : tree, owner.value()));
    }

    // Frees. A freed local is marked, so a second free of it on the same path is seen.
    LifetimeStore freedStore = s;
    if (f.frees && !isStatic) {
      freedStore = free(tree, recv, s, freedStore, events);
    }
    for (int i = 0; i < args.size() && i < params; i++) {
      if (f.paramFrees[i]) {
        freedStore = free(tree, args.get(i), s, freedStore, events);
      }
    }

    if (f.unplugs) {
      for (SectionState st : s.sections().values()) {
        if (st.mayHeld()) {
          events.add(new Event.UnplugInSection(tree, body, st.tokenName(), st.mustHeld()));
          break;
        }
      }
    }

    int ti = f.tokenIndex;
    if (f.enter && !f.scopedEnter && ti >= 0 && ti < args.size()) {
      Operand tokenArg = args.get(ti);
      Object key = tokenArg.key();
      SectionState old = s.section(key);
      if (old != null && old.mayHeld() && !old.inherited()) {
        events.add(new Event.ReEnter(tree, body, tokenArg.text()));
      }
      SectionState fresh = new SectionState(SectionState.HELD, tree, text(recv), tokenArg.text(), false, false);
      LifetimeStore base = s.dropCondsFor(key);
      LifetimeStore then = base.withSection(key, fresh);
      LifetimeStore els = base.withSection(key, fresh.withMask(SectionState.FAILED));
      return new Step(value, then.leastUpperBound(els), then, els, key, false, events);
    }
    if (f.entered && recv != null) {
      Object key = recv.key();
      if (s.section(key) != null) {
        LifetimeStore then = s.refine(key, true);
        LifetimeStore els = s.refine(key, false);
        return new Step(value, then.leastUpperBound(els), then, els, key, false, events);
      }
    }
    if (f.exit && ti >= 0 && ti < args.size()) {
      Operand tokenArg = args.get(ti);
      Object key = tokenArg.key();
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
          && key instanceof Symbol sym && !ownVariables.get().contains(sym);
      events.add(new Event.ExitCall(tree, body, key, tokenArg.text(), device, mask, enteredOn, other, captured));
      SectionState after = st == null
          ? new SectionState(SectionState.EXITED, null, device, tokenArg.text(), false, false)
          : st.withMask(SectionState.EXITED);
      // An exit is done even when something throws after it: never leak a section through its own exit.
      return new Step(value, s.dropCondsFor(key).withSection(key, after), null, null, null, true, events);
    }
    if (f.close && recv != null && args.isEmpty()) {
      Object key = recv.key();
      SectionState st = s.section(key);
      if (st != null && st.scoped()) {
        LifetimeStore out = s.dropCondsFor(key).withSection(key, st.withMask(SectionState.EXITED));
        return new Step(value, out, null, null, null, true, events);
      }
    }
    return new Step(value, freedStore, null, null, null, false, events);
  }

  /** Device expressions as text, with an explicit {@code this.} not making a difference ({@code this.drm} is {@code drm}). */
  private static boolean sameDevice(String a, String b) {
    return unqualified(a).equals(unqualified(b));
  }

  private static String unqualified(String device) {
    return device.startsWith("this.") ? device.substring("this.".length()) : device;
  }

  /** {@code AutoCloseable.close()} (or an override): ends a scoped section. */
  /** What the vocabulary says of a called method (cached per method). */
  Vocabulary.MethodFacts facts(MethodSymbol m) {
    return vocab.methodFacts(m);
  }

  boolean isClose(MethodSymbol m) {
    return vocab.methodFacts(m).close;
  }

  private LifetimeStore free(
      @Nullable Tree call, @Nullable Operand freed, LifetimeStore s, LifetimeStore out, List<Event> events) {
    if (call == null) {
      return out;
    }
    LifetimeValue v = freed == null ? LifetimeValue.NONE : freed.value();
    Type t = freed == null ? null : freed.type();
    boolean container = t != null && vocab.isDeviceType(t)
        && (freed.isThis() || body.context().releaseHook());
    String via = null;
    if (freed != null && freed.shape() == Operand.Shape.FIELD && freed.receiver() != null
        && vocab.isDeviceType(freed.receiver().type())) {
      via = freed.receiver().text();
    }
    Tree ft = freed != null && freed.tree() != null ? freed.tree() : call;
    Tree again = null;
    if (freed != null && freed.shape() == Operand.Shape.LOCAL) {
      Symbol sym = freed.symbol();
      LifetimeValue local = s.local(sym);
      again = local == null ? null : local.freedBy();
      LifetimeValue current = out.local(sym);
      out = out.withLocal(sym, (current == null ? declared(sym) : current).withFreedBy(call));
    }
    events.add(new Event.Free(call, body, ft, v, container, via, again));
    return out;
  }
}
