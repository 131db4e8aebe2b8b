package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.CodeContext;
import dev.lifeguard.checker.analysis.Event.FieldStore;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;

/**
 * A {@link BugChecker} that flags binding-scoped memory holding drm-lifetime objects (rule R1): a
 * {@code @BindingScoped} allocation of a type that embeds or extends {@code @DrmScoped} objects, a drm-lifetime
 * object stored into binding-scoped memory, and a binding-scoped value stored into a field of a
 * userspace-reachable object that does not declare {@code @BindingScoped}.
 *
 * <pre>{@code
 * VcDsi dsi = Devm.kzalloc(dev, VcDsi::new);   // VcDsi embeds a DrmEncoder: use Drmm.kzalloc(drm, ...)
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Binding-scoped (devres) memory must not hold drm-lifetime objects; allocate it with drmm",
    severity = ERROR,
    link = Findings.DOCS + "DrmObjectInDevres.md",
    linkType = CUSTOM)
public final class DrmObjectInDevres extends AnalysisCheck {

  @Inject
  public DrmObjectInDevres() {}

  // Per allocated class: every binding-scoped allocation of it asks the same question.
  private final java.util.Map<ClassSymbol, Optional<String>> holdsDrmByClass = new java.util.IdentityHashMap<>();

  /**
   * The class's calls of vocabulary methods (from the analysis's file scan, instead of a matcher on every call of
   * every file): binding-scoped allocations and devres registrations.
   */
  @Override
  Description matchClassDeclaration(ClassTree tree, VisitorState state) {
    reportCalls(state, this::matchCall);
    return Description.NO_MATCH;
  }

  /** A binding-scoped allocation whose allocated type holds drm-lifetime objects. */
  private Description matchCall(MethodInvocationTree tree, MethodSymbol m, VisitorState state) {
    Description foreign = foreignDevres(tree, m, state);
    if (foreign != Description.NO_MATCH || !Vocabulary.has(m, Vocabulary.BINDING_SCOPED)) {
      return foreign;
    }
    Vocabulary vocab = LifetimeAnalysis.instance(state).vocabulary();
    Type allocated = ASTHelpers.getType(tree);
    Optional<String> holds = allocated != null && allocated.tsym instanceof ClassSymbol cs
        ? holdsDrmByClass.computeIfAbsent(cs, c -> holdsDrm(c.type, vocab))
        : Optional.empty();
    if (holds.isEmpty()) {
      return Description.NO_MATCH;
    }
    String alloc = m.owner.getSimpleName() + "." + m.getSimpleName();
    String msg = "`" + Findings.src(state, tree) + "` allocates " + allocated.tsym.getSimpleName()
        + " in binding-scoped memory (" + alloc + ": freed at unbind), but " + holds.get()
        + ", which lives until the final drm put: userspace and KMS callbacks can reach it after unbind, when this"
        + " memory is gone; allocate it with drmm"
        + Vocabulary.stringValue(m, Vocabulary.COUNTERPART).map(c -> " (" + c.replace('#', '.') + ")").orElse("");
    return buildDescription(tree).setMessage(msg).addFix(counterpartFix(tree, m, state, vocab)).build();
  }

  /**
   * Devres registered, from a bound callback, on a device other than the one the callback binds, for a resource
   * that uses drm-lifetime objects (A6): its release follows the other device's binding, not this driver's, so it
   * can outlive the drm device it uses.
   */
  private Description foreignDevres(MethodInvocationTree tree, MethodSymbol m, VisitorState state) {
    LifetimeAnalysis analysis = LifetimeAnalysis.instance(state);
    Vocabulary vocab = analysis.vocabulary();
    if (tree.getArguments().isEmpty() || m.getParameters().isEmpty() || !vocab.registersDevres(m)) {
      return Description.NO_MATCH;
    }
    MethodTree enclosing = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    MethodSymbol callback = enclosing == null ? null : ASTHelpers.getSymbol(enclosing);
    if (callback == null || !analysis.contextOf(callback, state).isBound()) {
      return Description.NO_MATCH;
    }
    Symbol ownerParam = m.getParameters().get(0);
    Symbol bound = null;
    for (Symbol p : callback.getParameters()) {
      if (p.type.tsym == ownerParam.type.tsym) {
        if (bound != null) {
          return Description.NO_MATCH; // two candidate devices: which one binds is not ours to guess
        }
        bound = p;
      }
    }
    ExpressionTree owner = tree.getArguments().get(0);
    Symbol ownerSym = ASTHelpers.getSymbol(owner);
    if (bound == null || ownerSym == null || ownerSym.equals(bound)
        || !(ownerSym.getKind() == ElementKind.FIELD || ownerSym.getKind() == ElementKind.LOCAL_VARIABLE
            || ownerSym.getKind() == ElementKind.PARAMETER)) {
      return Description.NO_MATCH;
    }
    Optional<String> drmUse = drmLifetimeUse(tree.getArguments().subList(1, tree.getArguments().size()), vocab);
    if (drmUse.isEmpty()) {
      return Description.NO_MATCH;
    }
    String msg = "`" + m.owner.getSimpleName() + "." + m.getSimpleName() + "` registers on the devres of `"
        + Findings.src(state, owner) + "` a resource that uses drm-lifetime `" + drmUse.get() + "`, but `"
        + callback.getSimpleName() + "` binds `" + bound.getSimpleName() + "`: the resource is released only when `"
        + Findings.src(state, owner) + "` unbinds, so it can run after the drm device is gone; register it on `"
        + bound.getSimpleName() + "`, whose unbind ends its use, or with drmm";
    return buildDescription(tree)
        .setMessage(msg)
        .addFix(SuggestedFix.replace(owner, bound.getSimpleName().toString()))
        .build();
  }

  /** The first drm-lifetime variable the trees read, lambda bodies included. */
  private static Optional<String> drmLifetimeUse(List<? extends ExpressionTree> trees, Vocabulary vocab) {
    String[] found = {null};
    com.sun.source.util.TreeScanner<Void, Void> scanner = new com.sun.source.util.TreeScanner<>() {
      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree id, Void v) {
        Symbol sym = ASTHelpers.getSymbol(id);
        if (found[0] == null && sym != null && sym.getKind() != ElementKind.METHOD
            && sym.getKind() != ElementKind.CLASS && vocab.isDrmScopedType(sym.type)) {
          found[0] = id.getName().toString();
        }
        return null;
      }
    };
    for (ExpressionTree t : trees) {
      scanner.scan(t, null);
    }
    return Optional.ofNullable(found[0]);
  }

  /** Why the type holds drm-lifetime objects, if it does. */
  static Optional<String> holdsDrm(Type t, Vocabulary vocab) {
    if (t == null || !(t.tsym instanceof ClassSymbol cs)) {
      return Optional.empty();
    }
    if (vocab.isDrmScopedType(t)) {
      return Optional.of(cs.getSimpleName() + " is a drm-lifetime type");
    }
    for (Type c = t; c != null && c.tsym instanceof ClassSymbol k && !Vocabulary.isPlatform(k); c = k.getSuperclass()) {
      for (Symbol f : k.getEnclosedElements()) {
        if (f.getKind() == ElementKind.FIELD && !f.isStatic()
            && (Vocabulary.has(f, Vocabulary.DRM_SCOPED) || vocab.isDrmScopedType(f.type))
            && !vocab.isDeviceType(f.type)) {
          return Optional.of("its field `" + f.getSimpleName() + "` holds a " + f.type.tsym.getSimpleName());
        }
      }
      if (k.getSuperclass() == null || k.getSuperclass().tsym == null) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Optional<SuggestedFix> counterpartFix(
      MethodInvocationTree tree, MethodSymbol m, VisitorState state, Vocabulary vocab) {
    try {
      return counterpartFixOrThrow(tree, m, state, vocab);
    } catch (RuntimeException e) {
      return Optional.empty(); // a counterpart we cannot resolve: the finding stands, without a fix
    }
  }

  private static Optional<SuggestedFix> counterpartFixOrThrow(
      MethodInvocationTree tree, MethodSymbol m, VisitorState state, Vocabulary vocab) {
    Optional<String> cp = Vocabulary.stringValue(m, Vocabulary.COUNTERPART);
    if (cp.isEmpty() || !cp.get().contains("#") || tree.getArguments().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> drm = Findings.deviceInScope(state, state.getPath(), vocab);
    if (drm.isEmpty()) {
      return Optional.empty();
    }
    String cls = cp.get().substring(0, cp.get().indexOf('#'));
    String method = cp.get().substring(cp.get().indexOf('#') + 1);
    if (method.isEmpty() || !(state.getSymbolFromString(cls) instanceof ClassSymbol target)) {
      return Optional.empty(); // matchDeclaration names the malformed counterpart where it is declared
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String q = SuggestedFixes.qualifyType(state, fix, target);
    StringBuilder call = new StringBuilder(q).append('.').append(method).append('(').append(drm.get());
    List<? extends ExpressionTree> args = tree.getArguments();
    for (int i = 1; i < args.size(); i++) {
      call.append(", ").append(Findings.src(state, args.get(i)));
    }
    call.append(')');
    fix.replace(tree, call.toString());
    return Optional.of(fix.build());
  }

  /**
   * A {@code @Counterpart} that names nothing: the fix would silently never be offered, so it is an error here.
   * The value is {@code "<binary class name>#<method>"}, naming a method with the same number of parameters.
   */
  @Override
  Description matchDeclaration(MethodTree tree, VisitorState state) {
    if (!LifetimeAnalysis.instance(state).fileInScope(state)) {
      return Description.NO_MATCH;
    }
    MethodSymbol m = ASTHelpers.getSymbol(tree);
    Optional<String> cp = Vocabulary.stringValue(m, Vocabulary.COUNTERPART);
    if (cp.isEmpty() || Findings.suppresses(this, tree, state)) {
      return Description.NO_MATCH;
    }
    String v = cp.get();
    int hash = v.indexOf('#');
    String problem = null;
    if (hash <= 0 || hash == v.length() - 1) {
      problem = "is not \"<binary class name>#<method>\"";
    } else if (!(state.getSymbolFromString(v.substring(0, hash)) instanceof ClassSymbol cls)) {
      problem = "names a class that is not on the class path";
    } else if (cls.getEnclosedElements().stream().noneMatch(e -> e instanceof MethodSymbol other
        && other.getSimpleName().contentEquals(v.substring(hash + 1))
        && other.getParameters().size() == m.getParameters().size())) {
      problem = "names no method `" + v.substring(hash + 1) + "` with " + m.getParameters().size()
          + " parameter(s) in " + cls.getSimpleName();
    }
    return problem == null
        ? Description.NO_MATCH
        : buildDescription(tree)
            .setMessage("@Counterpart(\"" + v + "\") on `" + m.getSimpleName() + "` " + problem
                + ", so the switch to the other lifetime can never be suggested")
            .build();
  }

  @Override
  void report(AnalysisResult result, VisitorState state) {
    LifetimeAnalysis analysis = LifetimeAnalysis.instance(state);
    for (FieldStore s : result.events(FieldStore.class)) {
      String msg = storeMessage(s, state, analysis);
      if (msg != null && !Findings.suppressed(this, state, s.tree())) {
        state.reportMatch(buildDescription(s.tree()).setMessage(msg).build());
      }
    }
  }

  /** The one place that writes this check's messages about stores; null when the store is fine. */
  private static String storeMessage(FieldStore s, VisitorState state, LifetimeAnalysis analysis) {
    Vocabulary vocab = analysis.vocabulary();
    Type valueType = ASTHelpers.getType(s.valueTree());
    if (s.receiverValue().binding() != null && s.value().drm() != null && !vocab.isDeviceType(valueType)) {
      return "`" + Findings.src(state, s.valueTree()) + "` is a drm-lifetime object (" + s.value().drm().text()
          + ") stored into binding-scoped memory (" + s.receiverValue().binding().text() + ": freed at unbind): its"
          + " callbacks and userspace can still reach it after unbind, and through it this memory; allocate the"
          + " holder with drmm";
    }
    Symbol f = s.field();
    if (s.value().binding() != null
        && !Vocabulary.has(f, Vocabulary.BINDING_SCOPED)
        && !vocab.isBindingScopedType(f.type)
        && f.owner instanceof ClassSymbol owner
        && userReachableHolder(owner, vocab, analysis, state)) {
      return "`" + Findings.src(state, s.valueTree()) + "` is binding-scoped (" + s.value().binding().text() + ": released at unbind) but is"
          + " stored in field `" + owner.getSimpleName() + "." + f.getSimpleName() + "`, which does not declare"
          + " @BindingScoped, and " + owner.getSimpleName() + " is reachable from userspace after unbind: declare the"
          + " field @BindingScoped so every use is checked for a section, or keep it out of drm-lifetime objects";
    }
    return null;
  }

  /** A drm-lifetime class, or one with user-reachable methods: what userspace can reach after unbind. */
  private static boolean userReachableHolder(
      ClassSymbol c, Vocabulary vocab, LifetimeAnalysis analysis, VisitorState state) {
    if (vocab.isDrmScopedType(c.type)) {
      return true;
    }
    for (Symbol member : c.getEnclosedElements()) {
      if (member instanceof MethodSymbol ms) {
        CodeContext ctx = analysis.contextOf(ms, state);
        if (ctx.isUserReachable()) {
          return true;
        }
      }
    }
    return false;
  }
}
