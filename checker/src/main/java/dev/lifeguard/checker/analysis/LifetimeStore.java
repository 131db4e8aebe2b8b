package dev.lifeguard.checker.analysis;

import com.google.common.collect.ImmutableMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.checkerframework.errorprone.dataflow.analysis.Store;
import org.checkerframework.errorprone.dataflow.cfg.visualize.CFGVisualizer;
import org.checkerframework.errorprone.dataflow.expression.JavaExpression;
import org.jspecify.annotations.Nullable;

/**
 * The flow facts at one program point. Immutable: every change returns a new store.
 *
 * <ul>
 *   <li>{@code locals}: lifetime facts of local variables that were assigned in the body;
 *   <li>{@code sections}: the state of every section token seen so far, keyed by the token variable's symbol
 *       (or, for a token that is not a variable, the enter call's tree);
 *   <li>{@code conds}: boolean locals that hold an enter result ({@code ok = drm.enter(idx)}), mapped to the
 *       token they decide: reading {@code ok} in a condition splits the token's state again.
 * </ul>
 *
 * <p>{@link #BOTTOM} is the store of an unreachable point (for example the exceptional edge of a call whose
 * unchecked exceptions are ignored); it is the identity of {@link #leastUpperBound}.
 */
public final class LifetimeStore implements Store<LifetimeStore> {
  public static final LifetimeStore BOTTOM =
      new LifetimeStore(true, ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of());
  public static final LifetimeStore EMPTY =
      new LifetimeStore(false, ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of());

  private final boolean bottom;
  private final ImmutableMap<Object, LifetimeValue> locals;
  private final ImmutableMap<Object, SectionState> sections;
  private final ImmutableMap<Object, Object> conds;

  private LifetimeStore(
      boolean bottom,
      ImmutableMap<Object, LifetimeValue> locals,
      ImmutableMap<Object, SectionState> sections,
      ImmutableMap<Object, Object> conds) {
    this.bottom = bottom;
    this.locals = locals;
    this.sections = sections;
    this.conds = conds;
  }

  public boolean isBottom() {
    return bottom;
  }

  public @Nullable LifetimeValue local(Object sym) {
    return locals.get(sym);
  }

  public ImmutableMap<Object, SectionState> sections() {
    return sections;
  }

  public @Nullable SectionState section(Object key) {
    return sections.get(key);
  }

  public @Nullable Object condToken(Object boolVar) {
    return conds.get(boolVar);
  }

  /** True when some section is held on every path to this point. */
  public boolean anyMustHeld() {
    for (SectionState s : sections.values()) {
      if (s.mustHeld()) {
        return true;
      }
    }
    return false;
  }

  /** True when some section may be held here. */
  public boolean anyMayHeld() {
    for (SectionState s : sections.values()) {
      if (s.mayHeld()) {
        return true;
      }
    }
    return false;
  }

  /** This store's local facts, without sections or conditions (the seed of a lambda that runs later). */
  public LifetimeStore localsOnly() {
    if (bottom) {
      return EMPTY;
    }
    return new LifetimeStore(false, locals, ImmutableMap.of(), ImmutableMap.of());
  }

  public LifetimeStore withLocal(Object sym, LifetimeValue v) {
    if (bottom) {
      return this;
    }
    // Most assignments change nothing the analysis tracks (a number, a plain object): no copy.
    LifetimeValue old = locals.get(sym);
    if ((old == null ? v.isNone() : old.equals(v)) && !conds.containsKey(sym)) {
      return this;
    }
    // The local no longer holds an enter result.
    return new LifetimeStore(false, with(locals, sym, v.isNone() ? null : v), sections, with(conds, sym, null));
  }

  /** {@code m} with {@code key} mapped to {@code value}, or without it when null: one copy, none if unchanged. */
  private static <V> ImmutableMap<Object, V> with(ImmutableMap<Object, V> m, Object key, @Nullable V value) {
    if (value == null ? !m.containsKey(key) : value.equals(m.get(key))) {
      return m;
    }
    ImmutableMap.Builder<Object, V> b = ImmutableMap.builderWithExpectedSize(m.size() + 1);
    m.forEach((k, v) -> {
      if (!k.equals(key)) {
        b.put(k, v);
      }
    });
    if (value != null) {
      b.put(key, value);
    }
    return b.buildOrThrow();
  }

  public LifetimeStore withSection(Object key, SectionState s) {
    if (bottom) {
      return this;
    }
    ImmutableMap<Object, SectionState> m = with(sections, key, s);
    return m == sections ? this : new LifetimeStore(false, locals, m, conds);
  }

  /** Records that boolean local {@code var} holds the result of the enter for {@code token}. */
  public LifetimeStore withCond(Object var, Object token) {
    if (bottom) {
      return this;
    }
    ImmutableMap<Object, Object> c = with(conds, var, token);
    return c == conds ? this : new LifetimeStore(false, locals, sections, c);
  }

  /** Forgets every boolean that decides {@code token}: its state changed (exit, a new enter). */
  public LifetimeStore dropCondsFor(Object token) {
    if (bottom || !conds.containsValue(token)) {
      return this;
    }
    Map<Object, Object> c = new HashMap<>(conds);
    c.values().removeIf(t -> t.equals(token));
    return new LifetimeStore(false, locals, sections, ImmutableMap.copyOf(c));
  }

  /** The store on the branch where the enter for {@code key} succeeded ({@code held}) or failed. */
  public LifetimeStore refine(Object key, boolean held) {
    SectionState s = sections.get(key);
    if (bottom || s == null) {
      return this;
    }
    int m = held ? SectionState.HELD : (s.mask() & ~SectionState.HELD);
    if (m == 0) {
      m = SectionState.FAILED;
    }
    return withSection(key, s.withMask(m));
  }

  @Override
  public LifetimeStore copy() {
    return this;
  }

  @Override
  public LifetimeStore leastUpperBound(LifetimeStore other) {
    if (other.bottom) {
      return this;
    }
    if (this.bottom) {
      return other;
    }
    if (this == other || this.equals(other)) {
      return this;
    }
    // Joins usually differ in one part: the others are kept as they are.
    ImmutableMap<Object, LifetimeValue> joinedLocals = sameEntries(locals, other.locals) ? locals : joinLocals(other);
    ImmutableMap<Object, SectionState> joinedSections =
        sameEntries(sections, other.sections) ? sections : joinSections(other);
    ImmutableMap<Object, Object> joinedConds = sameEntries(conds, other.conds) ? conds : joinConds(other);
    return new LifetimeStore(false, joinedLocals, joinedSections, joinedConds);
  }

  private ImmutableMap<Object, LifetimeValue> joinLocals(LifetimeStore other) {
    Map<Object, LifetimeValue> l = new HashMap<>(locals);
    other.locals.forEach((k, v) -> l.merge(k, v, LifetimeValue::leastUpperBound));
    return ImmutableMap.copyOf(l);
  }

  private ImmutableMap<Object, SectionState> joinSections(LifetimeStore other) {
    Map<Object, SectionState> s = new HashMap<>();
    for (Object k : union(sections.keySet(), other.sections.keySet())) {
      SectionState a = sections.get(k);
      SectionState b = other.sections.get(k);
      if (a == null) {
        s.put(k, b.withMask(b.mask() | SectionState.NEVER));
      } else if (b == null) {
        s.put(k, a.withMask(a.mask() | SectionState.NEVER));
      } else {
        s.put(k, a.lub(b));
      }
    }
    return ImmutableMap.copyOf(s);
  }

  /** A boolean decides a token only if it does so on both paths. */
  private ImmutableMap<Object, Object> joinConds(LifetimeStore other) {
    Map<Object, Object> c = new HashMap<>();
    conds.forEach(
        (k, v) -> {
          if (v.equals(other.conds.get(k))) {
            c.put(k, v);
          }
        });
    return ImmutableMap.copyOf(c);
  }

  private static java.util.Set<Object> union(java.util.Set<Object> a, java.util.Set<Object> b) {
    java.util.Set<Object> u = new java.util.LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }

  @Override
  public LifetimeStore widenedUpperBound(LifetimeStore previous) {
    // The lattice is finite per method (symbols and masks), so the plain join terminates.
    return leastUpperBound(previous);
  }

  @Override
  public boolean canAlias(JavaExpression a, JavaExpression b) {
    return true;
  }

  @Override
  public String visualize(CFGVisualizer<?, LifetimeStore, ?> viz) {
    return debugPrint();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || o instanceof LifetimeStore s
        && bottom == s.bottom
        && sameEntries(locals, s.locals)
        && sameEntries(sections, s.sections)
        && sameEntries(conds, s.conds);
  }

  /**
   * Map equality by lookups: the walk compares stores at every join, and a map's own equals compares entry sets,
   * hashing every value on the way.
   */
  private static <V> boolean sameEntries(ImmutableMap<Object, V> a, ImmutableMap<Object, V> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<Object, V> e : a.entrySet()) {
      if (!e.getValue().equals(b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(bottom, locals, sections, conds);
  }

  /** A stable, sorted S-expression of the store, for tests and debugging. */
  public String debugPrint() {
    if (bottom) {
      return "(bottom)";
    }
    TreeMap<String, String> l = new TreeMap<>();
    locals.forEach((k, v) -> l.put(k.toString(), v.debugPrint()));
    TreeMap<String, String> s = new TreeMap<>();
    sections.forEach((k, v) -> s.put(v.tokenName(), v.debugPrint()));
    TreeMap<String, String> c = new TreeMap<>();
    conds.forEach((k, v) -> c.put(k.toString(), sections.containsKey(v) ? sections.get(v).tokenName() : "?"));
    StringBuilder sb = new StringBuilder("(store");
    l.forEach((k, v) -> sb.append(" (local ").append(k).append(' ').append(v).append(')'));
    s.values().forEach(v -> sb.append(" (section ").append(v, 1, v.length()));
    c.forEach((k, v) -> sb.append(" (cond ").append(k).append(" ").append(v).append(')'));
    return sb.append(')').toString();
  }

  @Override
  public String toString() {
    return debugPrint();
  }
}
