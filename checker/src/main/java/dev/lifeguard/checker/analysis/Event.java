package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;
import org.jspecify.annotations.Nullable;

/**
 * A fact the analysis found at one tree, for the checks to judge. One event per tree: when a tree has several
 * CFG nodes (a {@code finally} body copied once per way out), the events are merged, keeping the worst case.
 */
public sealed interface Event {
  /** The tree the event is about (where a finding is reported). */
  Tree tree();

  /** The body (method or lambda) the event was found in. */
  Body body();

  /** How a binding-scoped use is guarded. */
  enum Guard {
    /** A section is held on every path. */
    HELD,
    /** A section is held on some paths only. */
    MAYBE,
    /** No section is held. */
    NONE;

    Guard worst(Guard o) {
      return this.ordinal() >= o.ordinal() ? this : o;
    }
  }

  /**
   * A binding-scoped value is dereferenced (method call, field read or write through it) or handed to a method.
   *
   * @param valueTree the binding-scoped expression
   * @param value its facts
   * @param guard whether a section is held here
   */
  record BindingUse(Tree tree, Body body, Tree valueTree, LifetimeValue value, Guard guard) implements Event {}

  /**
   * An exit call. {@code mask} is the token's state just before it (the union over all copies).
   *
   * @param tokenKey the token's key (symbol or tree)
   * @param tokenName the token's source text
   * @param device the receiver's source text
   * @param enteredOn the device the token was entered on, when it differs from {@code device}
   * @param capturedFromOuter the token is a variable of an enclosing body and this body runs later
   */
  record ExitCall(
      Tree tree,
      Body body,
      Object tokenKey,
      String tokenName,
      String device,
      int mask,
      @Nullable String enteredOn,
      @Nullable String otherHeldToken,
      boolean capturedFromOuter)
      implements Event {}

  /**
   * An enter call on a token whose section may already be held (a loop that re-enters without exiting).
   *
   * @param tokenName the token's source text
   */
  record ReEnter(Tree tree, Body body, String tokenName) implements Event {}

  /** A call to an {@code @Unplugs} method while a section may be held. */
  record UnplugInSection(Tree tree, Body body, String tokenName, boolean must) implements Event {}

  /**
   * A section that may still be held when the body ends.
   *
   * @param exceptional on the exceptional exit (an exception escapes) rather than a normal return
   */
  record Leak(Tree tree, Body body, String tokenName, String device, boolean exceptional) implements Event {}

  /**
   * A call that frees or puts a value ({@code @Frees}).
   *
   * @param freed the freed expression
   * @param value its facts
   * @param container the freed value is the drm device container: the release hook's device parameter, or
   *     {@code this} in a drm device type
   * @param reachedVia when the freed value is a field read through a drm device, that device's source text
   * @param alreadyFreedAt when the freed value is a local that an earlier free or put on some path to here already
   *     released, that earlier call
   */
  record Free(
      Tree tree,
      Body body,
      Tree freed,
      LifetimeValue value,
      boolean container,
      @Nullable String reachedVia,
      @Nullable Tree alreadyFreedAt)
      implements Event {}

  /**
   * A call to a method that carries the vocabulary itself ({@code @CleansUp}, {@code @RegistersCleanup}, a module
   * reference, a barrier...), with the body it is made in, so checks can judge it by its context.
   *
   * @param method the called method
   */
  record Call(Tree tree, Body body, com.sun.tools.javac.code.Symbol.MethodSymbol method) implements Event {}

  /**
   * A call that registers devres on a device (see {@link Vocabulary#registersDevres}, or an
   * {@code @OwnedBy(BINDING)} allocator), with the facts of that device (its first argument).
   *
   * @param owner the device expression
   * @param ownerValue its facts
   */
  record DevresOn(Tree tree, Body body, Tree owner, LifetimeValue ownerValue) implements Event {}

  /**
   * A store into a field.
   *
   * @param field the field
   * @param receiverValue facts of the object written into (NONE for {@code this} or a static field)
   * @param value facts of the stored value
   * @param valueTree the stored expression
   */
  record FieldStore(
      Tree tree, Body body, Symbol field, LifetimeValue receiverValue, LifetimeValue value, Tree valueTree)
      implements Event {}
}
