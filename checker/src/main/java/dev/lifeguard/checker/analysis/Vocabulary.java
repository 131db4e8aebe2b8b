package dev.lifeguard.checker.analysis;

import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.PackageSymbol;
import com.sun.tools.javac.code.Symbol.TypeSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Lifeguard vocabulary ({@code dev.lifeguard.annotations.*}) off javac symbols. All knowledge the
 * analysis has about an API comes from here; nothing is keyed on method names, except the small model of JDK
 * executors in {@link #isDeferredJdkApi}.
 *
 * <p>One instance per compilation (see {@link LifetimeAnalysis}); type-level lookups are cached per symbol.
 */
public final class Vocabulary {
  static final String PKG = "dev.lifeguard.annotations.";
  public static final String BINDING_SCOPED = PKG + "BindingScoped";
  public static final String DRM_SCOPED = PKG + "DrmScoped";
  public static final String BOUND_CONTEXT = PKG + "BoundContext";
  public static final String USER_REACHABLE = PKG + "UserReachable";
  public static final String RELEASE_HOOK = PKG + "ReleaseHook";
  public static final String ENTER = PKG + "Enter";
  public static final String ENTERED = PKG + "Entered";
  public static final String EXIT = PKG + "Exit";
  public static final String TOKEN = PKG + "Token";
  public static final String UNPLUGS = PKG + "Unplugs";
  public static final String RUNS_NOW = PKG + "RunsNow";
  public static final String RUNS_LATER = PKG + "RunsLater";
  public static final String IN_SECTION = PKG + "InSection";
  public static final String MANAGED_ACTION = PKG + "ManagedAction";
  public static final String FREES = PKG + "Frees";
  public static final String OWNED_BY = PKG + "OwnedBy";
  public static final String COUNTERPART = PKG + "Counterpart";
  public static final String COUNTED = PKG + "Counted";
  public static final String DRIVERLESS = PKG + "Driverless";
  public static final String OPENS_GROUP = PKG + "OpensGroup";
  public static final String CHAIN_RANK = PKG + "ChainRank";
  public static final String WEAK = PKG + "Weak";
  public static final String HANDLE_SCOPED = PKG + "HandleScoped";
  public static final String ACQUIRES = PKG + "Acquires";
  public static final String PINS_MODULE = PKG + "PinsModule";
  public static final String AWAITS_DEVICES = PKG + "AwaitsDevices";
  public static final String RELEASE_BARRIER = PKG + "ReleaseBarrier";
  public static final String CLEANS_UP = PKG + "CleansUp";
  public static final String REGISTERS_CLEANUP = PKG + "RegistersCleanup";
  public static final String DESTROY_HOOK = PKG + "DestroyHook";
  public static final String TOUCHES_HARDWARE = PKG + "TouchesHardware";

  private final Types types;
  private final Map<TypeSymbol, Boolean> bindingTypes = new IdentityHashMap<>();
  private final Map<TypeSymbol, Boolean> drmTypes = new IdentityHashMap<>();
  private final Map<ClassSymbol, Boolean> deviceTypes = new IdentityHashMap<>();

  Vocabulary(Types types) {
    this.types = types;
    this.computeBoxed = s -> types.unboxedType(s.type).getKind() != javax.lang.model.type.TypeKind.NONE;
  }

  /** The annotation named {@code fqn} on {@code sym}, if present. */
  public static Optional<Attribute.Compound> annotation(@Nullable Symbol sym, String fqn) {
    if (sym == null) {
      return Optional.empty();
    }
    try {
      for (Attribute.Compound c : sym.getRawAttributes()) {
        if (c.type != null && c.type.tsym != null && c.type.tsym.getQualifiedName().contentEquals(fqn)) {
          return Optional.of(c);
        }
      }
    } catch (RuntimeException e) {
      // A symbol whose class file cannot be completed has no vocabulary for us.
      return Optional.empty();
    }
    return Optional.empty();
  }

  public static boolean has(@Nullable Symbol sym, String fqn) {
    return annotation(sym, fqn).isPresent();
  }

  /** The {@code value} element of an annotation as a string (a constant or an enum constant's name). */
  public static Optional<String> stringValue(@Nullable Symbol sym, String fqn) {
    return annotation(sym, fqn)
        .flatMap(
            c -> {
              for (var e : c.values) {
                if (e.fst.getSimpleName().contentEquals("value")) {
                  Attribute a = e.snd;
                  if (a instanceof Attribute.Enum en) {
                    return Optional.of(en.value.getSimpleName().toString());
                  }
                  Object v = a.getValue();
                  return Optional.of(String.valueOf(v));
                }
              }
              return Optional.of("");
            });
  }

  /**
   * True when the call puts something on a device's devres list: a {@code @BindingScoped} allocator or resource,
   * or a method taking a {@code @ManagedAction(BINDING)} callback. Its first parameter is the devres owner.
   */
  public boolean registersDevres(MethodSymbol m) {
    return cached(m, registersDevres, computeRegistersDevres);
  }

  private final Map<Symbol, Boolean> registersDevres = new IdentityHashMap<>();
  private final java.util.function.Function<Symbol, Boolean> computeRegistersDevres =
      s -> computeRegistersDevres((MethodSymbol) s);

  private boolean computeRegistersDevres(MethodSymbol m) {
    if (has(m, BINDING_SCOPED)) {
      return true;
    }
    for (Symbol p : m.getParameters()) {
      if (p.type.tsym instanceof ClassSymbol c && !isPlatform(c) && cached(c, bindingActions, computeBindingAction)) {
        return true;
      }
    }
    return false;
  }

  // Per parameter type: is it a @ManagedAction(BINDING) callback? Every method's parameters are asked.
  private final Map<Symbol, Boolean> bindingActions = new IdentityHashMap<>();
  private final java.util.function.Function<Symbol, Boolean> computeBindingAction = c -> annotation(c, MANAGED_ACTION)
      .map(a -> a.getElementValues().values().stream().anyMatch(v -> String.valueOf(v.getValue()).endsWith("BINDING")))
      .orElse(false);

  /**
   * Whether a functional type is a module's exit action: it or one of its supertypes is
   * {@code @ManagedAction(MODULE)}. Cached per type: every lambda of a file in scope is asked.
   */
  public boolean isModuleAction(ClassSymbol c) {
    return !isPlatform(c) && cached(c, moduleActions, computeModuleAction);
  }

  private final Map<Symbol, Boolean> moduleActions = new IdentityHashMap<>();
  private final java.util.function.Function<Symbol, Boolean> computeModuleAction = c -> {
    for (ClassSymbol s : supertypesOf((ClassSymbol) c)) {
      if (stringValue(s, MANAGED_ACTION).map("MODULE"::equals).orElse(false)) {
        return true;
      }
    }
    return false;
  };

  /** True when the type, or one of its supertypes, is annotated {@code @BindingScoped}. */
  public boolean isBindingScopedType(@Nullable Type t) {
    return typeHas(t, BINDING_SCOPED, bindingTypes);
  }

  /** True when the type, or one of its supertypes, is annotated {@code @DrmScoped}. */
  public boolean isDrmScopedType(@Nullable Type t) {
    return typeHas(t, DRM_SCOPED, drmTypes);
  }

  private boolean typeHas(@Nullable Type t, String fqn, Map<TypeSymbol, Boolean> cache) {
    if (t == null || !(t.tsym instanceof ClassSymbol cs)) {
      return false;
    }
    Boolean cached = cache.get(cs);
    if (cached != null) {
      return cached;
    }
    boolean result = false;
    for (ClassSymbol s : supertypesOf(cs)) {
      if (has(s, fqn)) {
        result = true;
        break;
      }
    }
    cache.put(cs, result);
    return result;
  }

  private final Map<Symbol, Boolean> boxed = new java.util.IdentityHashMap<>();
  private final java.util.function.Function<Symbol, Boolean> computeBoxed;

  /** A boxed primitive type ({@code Integer}...), cached per class. */
  boolean isBoxed(@Nullable Type t) {
    return t != null && t.tsym != null && !t.isPrimitive()
        && cached(t.tsym, boxed, computeBoxed);
  }

  private final Map<Symbol, LifetimeValue> declaredFacts = new java.util.IdentityHashMap<>(1024);

  /** The declared lifetime facts of a variable, computed once per compilation. */
  LifetimeValue cachedDeclared(Symbol sym, java.util.function.Function<Symbol, LifetimeValue> compute) {
    return memo(declaredFacts, sym, compute);
  }



  /**
   * What the vocabulary says of a called method, read off its annotations once: the analysis asks all of it at
   * every call, and most calls are of methods with none of it ({@link MethodFacts#plain}).
   */
  static final class MethodFacts {
    final boolean enter;
    final boolean scopedEnter;
    final boolean exit;
    final boolean entered;
    final boolean frees;
    final boolean bindingScoped;
    final boolean unplugs;
    /** Any Lifeguard annotation on the method itself. */
    final boolean annotated;
    /** It registers devres, or its result is owned by the binding: its first argument is the devres owner. */
    final boolean devres;
    /** {@code AutoCloseable.close()} or an override of it. */
    final boolean close;
    final int tokenIndex;
    /** Per parameter: declared {@code @BindingScoped} or {@code @Frees} (a use of a binding value is expected). */
    final boolean[] paramTakesBinding;
    /** Per parameter: declared {@code @Frees}. */
    final boolean[] paramFrees;
    /** Nothing above: a call of it can only use the values it is given. */
    final boolean plain;
    /** What its own annotations say of its result (its return type adds the rest, per call). */
    final LifetimeValue result;
    /**
     * Plain, and no call of it gives a value with a lifetime: its return type is a class without one (a call's
     * type is then of that same class), a primitive or void. A type variable's instance is asked at each call.
     */
    final boolean plainResult;

    private MethodFacts(MethodSymbol m, Vocabulary vocab) {
      annotated = hasVocabulary(m);
      enter = annotated && has(m, ENTER);
      scopedEnter = enter && isScopedEnter(m);
      exit = annotated && has(m, EXIT);
      entered = annotated && has(m, ENTERED);
      frees = annotated && has(m, FREES);
      bindingScoped = annotated && has(m, BINDING_SCOPED);
      unplugs = annotated && has(m, UNPLUGS);
      devres = vocab.registersDevres(m) || stringValue(m, OWNED_BY).map("BINDING"::equals).orElse(false);
      close = isCloseMethod(m, vocab);
      tokenIndex = tokenIndex(m);
      List<VarSymbol> ps = m.getParameters();
      paramTakesBinding = new boolean[ps.size()];
      paramFrees = new boolean[ps.size()];
      boolean anyFrees = false;
      for (int i = 0; i < ps.size(); i++) {
        paramFrees[i] = has(ps.get(i), FREES);
        paramTakesBinding[i] = paramFrees[i] || has(ps.get(i), BINDING_SCOPED);
        anyFrees |= paramFrees[i];
      }
      plain = !annotated && !devres && !close && !anyFrees;
      result = annotated ? declaredResult(m) : LifetimeValue.NONE;
      Type rt = m.getReturnType();
      plainResult = plain && rt != null && !rt.hasTag(com.sun.tools.javac.code.TypeTag.TYPEVAR)
          && !vocab.isBindingScopedType(rt) && !vocab.isDrmScopedType(rt);
    }

    private static LifetimeValue declaredResult(MethodSymbol m) {
      LifetimeValue v = LifetimeValue.NONE;
      String name = m.owner.getSimpleName() + "." + m.getSimpleName();
      if (has(m, BINDING_SCOPED)) {
        v = v.withBinding(new Origin(name));
      }
      if (has(m, DRM_SCOPED)) {
        v = v.withDrm(new Origin(name));
      }
      if (stringValue(m, OWNED_BY).map("BINDING"::equals).orElse(false)) {
        v = v.withOwned(new Origin(name));
      }
      if (has(m, DRIVERLESS)) {
        v = v.withDriverless(new Origin(name));
      }
      return v;
    }

    private static boolean isCloseMethod(MethodSymbol m, Vocabulary vocab) {
      if (!m.getSimpleName().contentEquals("close") || !m.getParameters().isEmpty()) {
        return false;
      }
      if (!(m.owner instanceof ClassSymbol c)) {
        return false;
      }
      for (ClassSymbol x : vocab.supertypesOf(c)) {
        if (x.getQualifiedName().contentEquals("java.lang.AutoCloseable")) {
          return true;
        }
      }
      return false;
    }
  }

  private final Map<Symbol, MethodFacts> methodFacts = new IdentityHashMap<>(1024);
  private final java.util.function.Function<Symbol, MethodFacts> computeMethodFacts =
      s -> new MethodFacts((MethodSymbol) s, this);

  MethodFacts methodFacts(MethodSymbol m) {
    return memo(methodFacts, m, computeMethodFacts);
  }

  private final Map<Symbol, Boolean> unchecked = new IdentityHashMap<>();

  /** A subtype of {@code RuntimeException} or {@code Error}, cached per class: asked at every call. */
  boolean isUnchecked(Type t) {
    return t.tsym instanceof ClassSymbol cs && cached(cs, unchecked, computeUnchecked);
  }

  private final java.util.function.Function<Symbol, Boolean> computeUnchecked = c -> {
    for (ClassSymbol x : supertypesOf((ClassSymbol) c)) {
      String q = x.getQualifiedName().toString();
      if (q.equals("java.lang.RuntimeException") || q.equals("java.lang.Error")) {
        return true;
      }
    }
    return false;
  };

  private static <V> V memo(Map<Symbol, V> cache, Symbol key, java.util.function.Function<Symbol, V> compute) {
    V v = cache.get(key);
    if (v == null) {
      v = compute.apply(key);
      cache.put(key, v);
    }
    return v;
  }

  /** The class and all its supertypes, the class first. Cached: asked for every call's exceptions. */
  List<ClassSymbol> supertypesOf(ClassSymbol cs) {
    List<ClassSymbol> r = supertypes.get(cs);
    if (r == null) {
      r = List.copyOf(computeSupertypes(cs));
      supertypes.put(cs, r);
    }
    return r;
  }

  private final Map<ClassSymbol, List<ClassSymbol>> supertypes = new java.util.IdentityHashMap<>();

  private List<ClassSymbol> computeSupertypes(ClassSymbol cs) {
    java.util.ArrayList<ClassSymbol> out = new java.util.ArrayList<>();
    Deque<ClassSymbol> work = new ArrayDeque<>();
    Set<ClassSymbol> seen = new HashSet<>();
    work.add(cs);
    while (!work.isEmpty()) {
      ClassSymbol c = work.poll();
      if (!seen.add(c)) {
        continue;
      }
      out.add(c);
      try {
        Type sup = c.getSuperclass();
        if (sup != null && sup.tsym instanceof ClassSymbol s) {
          work.add(s);
        }
        for (Type i : c.getInterfaces()) {
          if (i.tsym instanceof ClassSymbol s) {
            work.add(s);
          }
        }
      } catch (RuntimeException e) {
        // Incomplete class path: stop climbing here.
      }
    }
    return out;
  }

  /**
   * A drm device type: one that offers an {@code @Enter} method. Used to find a device expression for fixes and
   * to recognise the container.
   */
  public boolean isDeviceType(@Nullable Type t) {
    if (t == null || !(t.tsym instanceof ClassSymbol cs)) {
      return false;
    }
    return !isPlatform(cs) && deviceTypes.computeIfAbsent(cs, c -> findMember(c,
        m -> has(m, ENTER) && (m.getReturnType().getKind() != javax.lang.model.type.TypeKind.BOOLEAN
            || tokenIndex(m) >= 0)).isPresent());
  }

  /**
   * A drm driver type: one that declares (or inherits) a {@code @ReleaseHook} method, so the devices it creates
   * run its code at their final put.
   */
  public boolean isDrmDriverType(@Nullable Type t) {
    if (t == null || !(t.tsym instanceof ClassSymbol cs)) {
      return false;
    }
    return driverTypes.computeIfAbsent(cs, c -> findMember(c, m -> has(m, RELEASE_HOOK)).isPresent());
  }

  private final Map<ClassSymbol, Boolean> driverTypes = new IdentityHashMap<>();

  /** The explicit (boolean, {@code @Token}) {@code @Enter} method of a device type. */
  public Optional<MethodSymbol> explicitEnter(ClassSymbol cs) {
    return findMember(cs, m -> has(m, ENTER) && m.getReturnType().getKind() == javax.lang.model.type.TypeKind.BOOLEAN
        && tokenIndex(m) >= 0);
  }

  /** The scoped (AutoCloseable) {@code @Enter} method of a device type. */
  public Optional<MethodSymbol> scopedEnter(ClassSymbol cs) {
    return findMember(cs, m -> has(m, ENTER) && m.getReturnType().getKind() != javax.lang.model.type.TypeKind.BOOLEAN);
  }

  /** The {@code @Exit} method of a device type. */
  public Optional<MethodSymbol> exitMethod(ClassSymbol cs) {
    return findMember(cs, m -> has(m, EXIT) && tokenIndex(m) >= 0);
  }

  private Optional<MethodSymbol> findMember(ClassSymbol cs, java.util.function.Predicate<MethodSymbol> p) {
    for (ClassSymbol c : supertypesOf(cs)) {
      for (MethodSymbol m : annotatedMethods(c)) {
        if (p.test(m)) {
          return Optional.of(m);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The methods a class declares that carry a Lifeguard annotation, cached per class. Every question about a
   * type's members (its enter, exit, release hook, destroy hooks) is about these few; most classes have none.
   */
  public List<MethodSymbol> annotatedMethods(ClassSymbol c) {
    List<MethodSymbol> r = annotatedMethods.get(c);
    if (r == null) {
      r = List.of();
      if (!isPlatform(c)) {
        try {
          java.util.ArrayList<MethodSymbol> found = new java.util.ArrayList<>(0);
          for (Symbol s : c.members().getSymbols(com.sun.tools.javac.code.Scope.LookupKind.NON_RECURSIVE)) {
            if (s instanceof MethodSymbol m && hasAny(m)) {
              found.add(m);
            }
          }
          r = found.isEmpty() ? List.of() : List.copyOf(found.reversed());
        } catch (RuntimeException e) {
          // A class file that cannot be completed: it declares nothing we can read.
        }
      }
      annotatedMethods.put(c, r);
    }
    return r;
  }

  private final Map<ClassSymbol, List<MethodSymbol>> annotatedMethods = new IdentityHashMap<>();

  /** Index of the {@code @Token} parameter, or -1. */
  public static int tokenIndex(MethodSymbol m) {
    List<VarSymbol> ps = m.getParameters();
    for (int i = 0; i < ps.size(); i++) {
      if (has(ps.get(i), TOKEN)) {
        return i;
      }
    }
    return -1;
  }

  public static boolean isEnter(MethodSymbol m) {
    return has(m, ENTER);
  }

  /** An {@code @Enter} method of the scoped form: it returns a section, not a boolean. */
  public static boolean isScopedEnter(MethodSymbol m) {
    return has(m, ENTER) && m.getReturnType().getKind() != javax.lang.model.type.TypeKind.BOOLEAN;
  }

  /** {@link #relevance}: nothing of the vocabulary. */
  static final int NONE = 0;
  /** {@link #relevance} bit: puts the file in scope. */
  static final int IN_SCOPE = 1;
  /** {@link #relevance} bit: a body that refers to it needs the flow analysis (and the file is in scope). */
  static final int FLOW = 2;
  /** {@link #relevance} bit: a method that carries the vocabulary or registers devres (see {@link #isVocabularyCall}). */
  static final int CALL = 4;
  /** {@link #relevance} bit: an {@code @Acquires} method (it takes a counted drm device reference). */
  static final int TAKES_REFERENCE = 8;

  /**
   * How much a symbol matters, cached per symbol: {@link #FLOW} when it (or a parameter of it) carries the
   * vocabulary or it is a variable or method of binding-scoped type; {@link #IN_SCOPE} when it, its type or its
   * owner has a lifetime, a context or a device; {@link #CALL} (and in scope) for a method that carries the
   * vocabulary or registers devres; else {@link #NONE}. The file scan asks this of every name.
   */
  int relevance(Symbol sym) {
    if (sym instanceof VarSymbol v && v.owner instanceof MethodSymbol && v.getRawAttributes().isEmpty()) {
      // A local or a parameter without annotations: only its type can matter, and types are far fewer.
      return v.type == null || !(v.type.tsym instanceof ClassSymbol c) ? NONE : memo(typeRelevance, c, ofVariableType);
    }
    return memo(relevance, sym, computeRelevance);
  }

  // Sized for a module's worth of names: the file scan asks about every one of them.
  private final Map<Symbol, Integer> relevance = new IdentityHashMap<>(4096);
  private final Map<Symbol, Integer> typeRelevance = new IdentityHashMap<>(1024);
  // The compute functions are made once: a method reference at each call would be allocated at each call.
  private final java.util.function.Function<Symbol, Integer> computeRelevance = this::computeRelevance;
  private final java.util.function.Function<Symbol, Integer> ofVariableType = this::ofVariableType;

  /** A symbol that puts a file in scope: it, its parameters, its type or its owner carry the vocabulary. */
  public boolean isInScope(Symbol sym) {
    return relevance(sym) != NONE;
  }

  /**
   * Whether a method refers to {@code sym} is reason enough to analyse its flow: the symbol itself (or a parameter
   * of it) carries the vocabulary, or it is a variable or method of binding-scoped type. Unlike {@link
   * #isInScope}, drm-lifetime types, device types and callback types alone do not count: no event comes from them.
   */
  public boolean needsFlow(Symbol sym) {
    return (relevance(sym) & FLOW) != 0;
  }

  /**
   * Whether a call of {@code m} is one the rules on single calls judge: the method carries the vocabulary or
   * registers devres. Read off the relevance the file scan asks anyway.
   */
  public boolean isVocabularyCall(MethodSymbol m) {
    return (relevance(m) & CALL) != 0;
  }

  private static boolean cached(Symbol sym, Map<Symbol, Boolean> cache, java.util.function.Function<Symbol, Boolean> f) {
    return memo(cache, sym, f);
  }

  private Integer computeRelevance(Symbol sym) {
    ClassSymbol enclosing = sym.enclClass();
    if (sym instanceof PackageSymbol || (enclosing != null && isPlatform(enclosing))) {
      // A package name, or the JDK's methods, fields and types: nothing there carries the vocabulary.
      return NONE;
    }
    int r = computeNeedsFlow(sym) ? IN_SCOPE | FLOW : computeInScope(sym) ? IN_SCOPE : NONE;
    if (sym instanceof MethodSymbol m && (hasAny(m) || registersDevres(m))) {
      r |= IN_SCOPE | CALL | (has(m, ACQUIRES) ? TAKES_REFERENCE : 0);
    }
    return r;
  }

  /** The relevance of an unannotated variable of type {@code c}: what the type says (see computeInScope). */
  private Integer ofVariableType(Symbol c) {
    if (isPlatform((ClassSymbol) c)) {
      return NONE;
    }
    Type t = c.type;
    return isBindingScopedType(t) ? IN_SCOPE | FLOW : varTypeInScope(t) ? IN_SCOPE : NONE;
  }

  private boolean computeNeedsFlow(Symbol sym) {
    if (hasAny(sym)) {
      return true;
    }
    if (sym instanceof MethodSymbol m) {
      for (VarSymbol p : m.getParameters()) {
        if (hasAny(p)) {
          return true;
        }
      }
      return isBindingScopedType(m.getReturnType());
    }
    return sym instanceof VarSymbol && isBindingScopedType(sym.type);
  }

  private boolean computeInScope(Symbol sym) {
    if (sym instanceof MethodSymbol m) {
      if (isDrmScopedType(m.getReturnType())) {
        return true;
      }
      return m.owner instanceof ClassSymbol c && (hasAnyContext(c) || isDeviceType(c.type));
    }
    if (sym instanceof VarSymbol || sym.getKind() == ElementKind.CLASS || sym.getKind() == ElementKind.INTERFACE) {
      return varTypeInScope(sym.type);
    }
    return false;
  }

  private boolean varTypeInScope(@Nullable Type t) {
    return isBindingScopedType(t) || isDrmScopedType(t) || isDeviceType(t)
        || (t != null && t.tsym != null && hasAnyContext(t.tsym));
  }

  /** Whether a class or one of its supertypes carries the vocabulary (a callback it implements, a lifetime). */
  public boolean inheritsVocabulary(ClassSymbol cs) {
    for (ClassSymbol s : supertypesOf(cs)) {
      if (s != cs && hasAny(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A class of the Java platform itself (a system module, or {@code java.*} / {@code javax.*} / {@code jdk.*} when
   * compiling without modules). It carries no Lifeguard annotation, so reading its members for one would only
   * make javac load class files it does not otherwise need.
   */
  public static boolean isPlatform(ClassSymbol c) {
    PackageSymbol p = c.packge();
    if (p == null) {
      return false;
    }
    if (p.modle != null && (p.modle.flags() & Flags.SYSTEM_MODULE) != 0) {
      return true;
    }
    String n = p.fullname.toString();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.");
  }

  /** True when the symbol itself carries any Lifeguard annotation. */
  /**
   * {@link Symbol#isStatic} from the flags javac has already set: the walk asks it at every call and field, and
   * javac's own version asks the owner class for its flags (completing it) whenever the answer is no.
   */
  static boolean isStatic(Symbol s) {
    return (s.flags_field & com.sun.tools.javac.code.Flags.STATIC) != 0
        || (s.kind == com.sun.tools.javac.code.Kinds.Kind.VAR && s.owner != null
            && (s.owner.flags_field & com.sun.tools.javac.code.Flags.INTERFACE) != 0);
  }

  public static boolean hasVocabulary(@Nullable Symbol sym) {
    return sym != null && hasAny(sym);
  }

  private static boolean hasAny(Symbol sym) {
    try {
      for (Attribute.Compound c : sym.getRawAttributes()) {
        if (c.type != null && c.type.tsym != null && c.type.tsym.getQualifiedName().toString().startsWith(PKG)) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      return false;
    }
    return false;
  }

  private static boolean hasAnyContext(Symbol c) {
    return has(c, USER_REACHABLE) || has(c, BOUND_CONTEXT) || has(c, MANAGED_ACTION) || has(c, RELEASE_HOOK);
  }

  /**
   * The JDK's deferred-execution APIs, which carry no vocabulary: a lambda handed to an executor, a thread or a
   * timer runs later, on another thread, and never inherits the caller's section. Everything else that is not
   * annotated is assumed to run its callbacks now (like {@code Iterable.forEach}).
   */
  boolean isDeferredJdkApi(MethodSymbol m) {
    if (!(m.owner instanceof ClassSymbol owner)) {
      return false;
    }
    for (ClassSymbol c : supertypesOf(owner)) {
      String n = c.getQualifiedName().toString();
      if (n.equals("java.util.concurrent.Executor") || n.equals("java.util.Timer") || n.equals("java.lang.Thread")
          || n.equals("java.lang.Thread.Builder")) {
        return true;
      }
      if (n.equals("java.util.concurrent.CompletableFuture") && m.getSimpleName().toString().endsWith("Async")) {
        return true;
      }
    }
    return false;
  }

  Types types() {
    return types;
  }
}
