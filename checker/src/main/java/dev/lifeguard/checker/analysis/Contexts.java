package dev.lifeguard.checker.analysis;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Infers the context of methods and lambdas from the vocabulary. */
final class Contexts {
  private static final String RELEASE_WHY = "the release hook runs at the final drm put, after unbind";
  private static final String DRMM_WHY = "drm-managed actions run at the final drm put, after unbind";
  private static final String MODULE_WHY = "a module exit runs at unload, before the module's text is freed";
  private static final String DEVRES_WHY = "devres actions run at unbind, while the device is still bound";

  private final Vocabulary vocab;
  private @Nullable CompilationUnitTree refsUnit;
  private Map<Symbol, CodeContext> methodRefs = new IdentityHashMap<>();

  Contexts(Vocabulary vocab) {
    this.vocab = vocab;
  }

  /** The context an annotation on {@code sym} (a method or a type) declares, with {@code where} as the reason. */
  static Optional<CodeContext> direct(@Nullable Symbol sym, String where) {
    if (sym == null) {
      return Optional.empty();
    }
    if (Vocabulary.has(sym, Vocabulary.RELEASE_HOOK)) {
      return Optional.of(new CodeContext(CodeContext.Kind.USER_REACHABLE, where, RELEASE_WHY, true));
    }
    Optional<String> ur = Vocabulary.stringValue(sym, Vocabulary.USER_REACHABLE);
    if (ur.isPresent()) {
      return Optional.of(new CodeContext(CodeContext.Kind.USER_REACHABLE, where, ur.get(), false));
    }
    if (Vocabulary.has(sym, Vocabulary.BOUND_CONTEXT)) {
      return Optional.of(new CodeContext(CodeContext.Kind.BOUND, where, "", false));
    }
    Optional<String> ma = Vocabulary.stringValue(sym, Vocabulary.MANAGED_ACTION);
    if (ma.isPresent()) {
      if (ma.get().equals("MODULE")) {
        return Optional.of(new CodeContext(CodeContext.Kind.UNKNOWN, where, MODULE_WHY, false, "MODULE"));
      }
      return Optional.of(
          ma.get().equals("BINDING")
              ? new CodeContext(CodeContext.Kind.BOUND, where, DEVRES_WHY, false, "BINDING")
              : new CodeContext(CodeContext.Kind.USER_REACHABLE, where, DRMM_WHY, false, "DRM"));
    }
    return Optional.empty();
  }

  /** The lifetime of the {@code @ManagedAction} the type or one of its supertypes declares, else null. */
  private @Nullable String managedOf(@Nullable Symbol sym) {
    if (!(sym instanceof ClassSymbol c)) {
      return null;
    }
    for (ClassSymbol s : vocab.supertypesOf(c)) {
      Optional<String> ma = Vocabulary.stringValue(s, Vocabulary.MANAGED_ACTION);
      if (ma.isPresent()) {
        return ma.get();
      }
    }
    return null;
  }

  private Optional<CodeContext> typeContext(ClassSymbol c, String subject) {
    for (ClassSymbol s : vocab.supertypesOf(c)) {
      if (!Vocabulary.hasVocabulary(s)) {
        continue; // the reason's text is built only for a type that can give a context
      }
      Optional<CodeContext> d = direct(s, subject + " is a " + c.getSimpleName());
      if (d.isPresent()) {
        return Optional.of(d.get().withManaged(managedOf(c)));
      }
    }
    return Optional.empty();
  }

  /**
   * A method's context: its own annotation, else that of a method it overrides or implements (or that method's
   * type), else its own class's, else the functional interface it is used as through a method reference.
   */
  CodeContext ofMethod(MethodSymbol m, CompilationUnitTree unit) {
    Optional<CodeContext> declared = declaredContexts.get(m);
    if (declared == null) {
      declared = declared(m);
      declaredContexts.put(m, declared);
    }
    if (declared.isPresent()) {
      return declared.get();
    }
    CodeContext viaRef = methodRefs(unit).get(m);
    return viaRef != null ? viaRef : CodeContext.UNKNOWN;
  }

  // Every check asks for the context of the same methods; what their declarations say is asked once.
  private final Map<MethodSymbol, Optional<CodeContext>> declaredContexts = new IdentityHashMap<>();

  /** The context the method's own declarations give it: its annotations, what it overrides, its class. */
  private Optional<CodeContext> declared(MethodSymbol m) {
    // Only a symbol with Lifeguard annotations can declare a context: the message text is built only for those.
    Optional<CodeContext> d = Vocabulary.hasVocabulary(m) ? direct(m, quoted(m) + " is annotated") : Optional.empty();
    if (d.isPresent()) {
      return d;
    }
    // Static, private methods and constructors override nothing.
    boolean overrides = !m.isStatic() && !m.isConstructor()
        && !m.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE);
    for (MethodSymbol sup : overrides ? superMethodsWithVocabulary(m) : List.<MethodSymbol>of()) {
      boolean onMethod = Vocabulary.hasVocabulary(sup);
      boolean onOwner = sup.owner instanceof ClassSymbol && Vocabulary.hasVocabulary(sup.owner);
      if (!onMethod && !onOwner) {
        continue;
      }
      String where = quoted(m) + " implements " + sup.owner.getSimpleName() + "." + sup.getSimpleName();
      d = onMethod ? direct(sup, where) : Optional.empty();
      if (d.isEmpty() && onOwner) {
        d = direct(sup.owner, where);
      }
      if (d.isPresent()) {
        return Optional.of(d.get().withManaged(managedOf(sup.owner)));
      }
    }
    if (m.owner instanceof ClassSymbol c && !m.isConstructor() && Vocabulary.hasVocabulary(c)) {
      d = direct(c, quoted(m) + " is a method of " + c.getSimpleName());
      if (d.isPresent()) {
        return Optional.of(d.get().withManaged(managedOf(c)));
      }
    }
    return Optional.empty();
  }


  /**
   * The methods {@code m} overrides or implements in supertypes that carry the vocabulary (on the type or on a
   * method): the only ones a context can come from. Most classes have none, so most methods need no search.
   */
  private List<MethodSymbol> superMethodsWithVocabulary(MethodSymbol m) {
    if (!(m.owner instanceof ClassSymbol owner)) {
      return List.of();
    }
    List<ClassSymbol> carriers = vocabularySupertypes.get(owner);
    if (carriers == null) {
      carriers = new java.util.ArrayList<>();
      for (ClassSymbol s : vocab.supertypesOf(owner)) {
        if (s != owner && carriesVocabulary(s)) {
          carriers.add(s);
        }
      }
      vocabularySupertypes.put(owner, carriers);
    }
    if (carriers.isEmpty()) {
      return List.of();
    }
    List<MethodSymbol> out = new java.util.ArrayList<>();
    for (ClassSymbol s : carriers) {
      for (Symbol sup : s.members().getSymbolsByName(m.name)) {
        if (sup instanceof MethodSymbol ms && ms.params().size() == m.params().size()
            && m.overrides(ms, owner, vocab.types(), false)) {
          out.add(ms);
        }
      }
    }
    return out;
  }

  private final Map<ClassSymbol, List<ClassSymbol>> vocabularySupertypes = new IdentityHashMap<>();
  private final Map<ClassSymbol, Boolean> carriers = new IdentityHashMap<>();

  /** The type, or one of its own methods, carries a Lifeguard annotation. */
  private boolean carriesVocabulary(ClassSymbol s) {
    Boolean r = carriers.get(s);
    if (r == null) {
      r = !Vocabulary.isPlatform(s) && (Vocabulary.hasVocabulary(s) || !vocab.annotatedMethods(s).isEmpty());
      carriers.put(s, r);
    }
    return r;
  }

  private static String quoted(MethodSymbol m) {
    return "`" + m.getSimpleName() + "`";
  }

  /** The context a functional interface type declares, for a lambda or method reference of that type. */
  Optional<CodeContext> ofFunctionalType(@Nullable Type t, String subject) {
    if (t == null || !(t.tsym instanceof ClassSymbol c) || Vocabulary.isPlatform(c)) {
      return Optional.empty();
    }
    try {
      Symbol desc = vocab.types().findDescriptorSymbol(c);
      if (desc != null && Vocabulary.hasVocabulary(desc)) {
        Optional<CodeContext> d = direct(desc,
            subject + " is a " + c.getSimpleName() + " (" + c.getSimpleName() + "." + desc.getSimpleName() + ")");
        if (d.isPresent()) {
          return Optional.of(d.get().withManaged(managedOf(c)));
        }
      }
    } catch (RuntimeException e) {
      // Not a functional interface.
    }
    return typeContext(c, subject);
  }

  private List<MemberReferenceTree> refsOfUnit = List.of();
  private @Nullable CompilationUnitTree refsListUnit;

  /** The method references of a file, from the analysis's one scan of it. */
  void memberReferences(CompilationUnitTree unit, List<MemberReferenceTree> refs) {
    refsListUnit = unit;
    refsOfUnit = refs;
  }

  /** Methods used as method references in the file, with the context of the functional interface. */
  private Map<Symbol, CodeContext> methodRefs(CompilationUnitTree unit) {
    if (unit != refsUnit) {
      refsUnit = unit;
      Map<Symbol, CodeContext> map = new IdentityHashMap<>();
      List<MemberReferenceTree> refs = unit == refsListUnit ? refsOfUnit : collect(unit);
      for (MemberReferenceTree t : refs) {
        Symbol target = ASTHelpers.getSymbol(t);
        if (target != null) {
          ofFunctionalType(ASTHelpers.getType(t), "`" + target.getSimpleName() + "`, used as a method reference,")
              .ifPresent(c -> map.putIfAbsent(target, c));
        }
      }
      methodRefs = map;
    }
    return methodRefs;
  }

  private static List<MemberReferenceTree> collect(CompilationUnitTree unit) {
    List<MemberReferenceTree> out = new java.util.ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMemberReference(MemberReferenceTree t, Void v) {
        out.add(t);
        return super.visitMemberReference(t, v);
      }
    }.scan(unit, null);
    return out;
  }

}
