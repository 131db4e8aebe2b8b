package dev.lifeguard.checker.analysis;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.processing.ProcessingEnvironment;
import org.checkerframework.errorprone.dataflow.analysis.ForwardAnalysisImpl;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The shared lifetime analysis: intra-procedural, flow-sensitive, run once per method (and per lambda inside
 * it) and cached per compilation unit, read by every Lifeguard check.
 *
 * <p>Each body is analysed by one of two engines over {@link LifetimeStore}, both driving the same
 * {@link LifetimeRules}: the {@link StructuredWalk} (a walk over the tree, for the structured bodies drivers are
 * made of) or, for the rest, a forward dataflow analysis over the body's control-flow graph, with the dataflow
 * library Error Prone ships. A scan per file skips files that never mention the vocabulary, and a pre-filter skips
 * methods that call nothing that can make an event. Any failure inside the analysis of a method is caught: that
 * method gets no finding and a note (logged when {@code -Dlifeguard.debug=true}). javac never crashes because of it.
 */
public final class LifetimeAnalysis {
  private static final Context.Key<LifetimeAnalysis> KEY = new Context.Key<>();
  private static final Logger LOG = Logger.getLogger(LifetimeAnalysis.class.getName());
  static final boolean DEBUG = Boolean.getBoolean("lifeguard.debug");
  /** Run both engines on every body the structured walk handles and fail on any difference (set for tests). */
  static final boolean CROSS_CHECK = Boolean.getBoolean("lifeguard.crossCheck");
  /** The structured walk is on unless {@code -Dlifeguard.structuredWalk=false} (to measure or bisect). */
  static final boolean STRUCTURED_WALK = !"false".equals(System.getProperty("lifeguard.structuredWalk"));
  /**
   * Every file is out of scope ({@code -Dlifeguard.gateClosed=true}): the checks are registered and Error Prone
   * calls them on every node, but none does any work. Measures the floor Error Prone's dispatch sets.
   */
  static final boolean GATE_CLOSED = Boolean.getBoolean("lifeguard.gateClosed");

  /** The two engines computed different results: a bug, raised past the analysis's own containment. */
  static final class CrossCheckFailure extends Error {
    CrossCheckFailure(String message) {
      super(message);
    }
  }

  private final Vocabulary vocab;
  private final Contexts contexts;
  private final ProcessingEnvironment env;
  private @Nullable CompilationUnitTree unit;
  private @Nullable CompilationUnitTree gateUnit;
  private boolean gateOpen;
  private final Map<Tree, AnalysisResult> cache = new IdentityHashMap<>();
  private final Map<Tree, AnalysisResult> cacheUnchecked = new IdentityHashMap<>();
  /** Test hook: runs at the start of every method analysis, to prove failures are contained. */
  static volatile java.util.function.@Nullable Consumer<Tree> faultInjector;

  /** Test hook: runs at the start of every file scan, to prove a failed scan costs no finding. */
  static volatile java.util.function.@Nullable Consumer<CompilationUnitTree> fileScanFault;

  /** Test hook: runs on every finished structured walk, to prove the cross-check catches a wrong one. */
  static volatile java.util.function.@Nullable Consumer<StructuredWalk> walkTamper;

  /** Number of CFGs built in this compilation; visible for tests of the pre-filter. */
  private int cfgCount;
  /** Number of bodies the structured walk analysed without a CFG. */
  private int walkCount;
  private final Symtab symtab;

  private LifetimeAnalysis(Context context) {
    this.vocab = new Vocabulary(Types.instance(context));
    this.contexts = new Contexts(vocab);
    this.env = JavacProcessingEnvironment.instance(context);
    this.symtab = Symtab.instance(context);
  }

  /** The analysis of this compilation. */
  public static LifetimeAnalysis instance(VisitorState state) {
    Context context = state.context;
    LifetimeAnalysis a = context.get(KEY);
    if (a == null) {
      a = new LifetimeAnalysis(context);
      context.put(KEY, a);
    }
    return a;
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  public int cfgCount() {
    return cfgCount;
  }

  /** Number of bodies analysed by the structured walk in this compilation; visible for tests. */
  public int walkCount() {
    return walkCount;
  }

  /** The context of a method, from the vocabulary. */
  public CodeContext contextOf(MethodSymbol m, VisitorState state) {
    return contexts.ofMethod(m, state.getPath().getCompilationUnit());
  }

  /**
   * Whether the file being compiled refers to the vocabulary at all: a symbol that carries it, a type with a
   * lifetime or a context, or a class whose supertypes do. One scan per file, shared by every check; a file that
   * does not (most of a real code base) costs the checks nothing more, because each of them asks this first.
   */
  public boolean fileInScope(VisitorState state) {
    return fileInScope(state.getPath().getCompilationUnit());
  }

  private boolean fileInScope(CompilationUnitTree cu) {
    if (GATE_CLOSED) {
      return false;
    }
    if (cu != gateUnit) {
      gateUnit = cu;
      gateOpen = scanFile(cu);
    }
    return gateOpen;
  }

  /**
   * One full scan per file: whether it refers to the vocabulary, which of its bodies need the flow analysis (the
   * per-method pre-filter), whether it takes counted references, and its method references (which give helper
   * methods a context, see {@link Contexts}). One pass for all, because a file in scope needs each of them.
   */
  private boolean scanFile(CompilationUnitTree cu) {
    FileScan scan = new FileScan();
    flowBodies.clear();
    flowBodiesKnown = true;
    try {
      var fault = fileScanFault;
      if (fault != null) {
        fault.accept(cu);
      }
      scan.scan((JCTree) cu);
    } catch (RuntimeException e) {
      // When in doubt, analyse: the per-method analysis contains its own failures.
      scan.inScope = true;
      scan.acquires = true;
      flowBodiesKnown = false;
    }
    gateAcquires = scan.acquires;
    classes = flowBodiesKnown ? scan.classes : null;
    vocabularyCalls = flowBodiesKnown ? scan.calls : new IdentityHashMap<>();
    topLevelLambdas = flowBodiesKnown ? scan.lambdas : new IdentityHashMap<>();
    if (flowBodiesKnown) {
      contexts.memberReferences(cu, scan.refs); // else the contexts collect them with a scan of their own
    }
    return scan.inScope;
  }

  /** The classes declared in the current file, in source order; null when the file scan failed. */
  private @Nullable Map<ClassSymbol, ClassTree> classes;

  /**
   * The classes declared in the file being compiled (nested and local ones too), in source order, from the one
   * file scan. For a file out of scope, empty.
   */
  public Map<ClassSymbol, ClassTree> classesOf(VisitorState state) {
    CompilationUnitTree cu = state.getPath().getCompilationUnit();
    if (!fileInScope(cu)) {
      return Map.of();
    }
    if (classes == null) {
      classes = new LinkedHashMap<>(); // the scan failed: find them with a scan of their own
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitClass(ClassTree c, Void v) {
          ClassSymbol s = ASTHelpers.getSymbol(c);
          if (s != null) {
            classes.put(s, c);
          }
          return super.visitClass(c, v);
        }
      }.scan(cu, null);
    }
    return classes;
  }

  /**
   * The calls in the current file of methods that carry the vocabulary or register devres, by innermost
   * enclosing class, from the file scan. When the scan failed, each class's calls are found on demand.
   */
  private Map<ClassTree, List<TreePath>> vocabularyCalls = new IdentityHashMap<>();

  /**
   * The calls, in the class at {@code state.getPath()} (not in its nested classes, which are asked on their own),
   * of methods that carry the vocabulary or register devres, each with its path: what the checks' rules on single
   * calls read, instead of a matcher on every call of every file. For a file out of scope, empty.
   */
  public List<TreePath> vocabularyCalls(VisitorState state) {
    if (!fileInScope(state) || !(state.getPath().getLeaf() instanceof ClassTree c)) {
      return List.of();
    }
    if (!flowBodiesKnown && !vocabularyCalls.containsKey(c)) {
      List<TreePath> found = new ArrayList<>(); // the scan failed: find them with a scan of their own
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitClass(ClassTree nested, Void v) {
          return nested == c ? super.visitClass(nested, v) : null;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void v) {
          if (ASTHelpers.getSymbol(call) instanceof MethodSymbol m && vocab.isVocabularyCall(m)) {
            found.add(getCurrentPath());
          }
          return super.visitMethodInvocation(call, v);
        }
      }.scan(state.getPath(), null);
      vocabularyCalls.put(c, found);
    }
    return vocabularyCalls.getOrDefault(c, List.of());
  }

  /** The lambdas in no method, by class, from the file scan; when it failed, each class's found on demand. */
  private Map<ClassTree, List<TreePath>> topLevelLambdas = new IdentityHashMap<>();

  /**
   * The lambdas of the class at {@code state.getPath()} that are in no method: in field initialisers and
   * initialiser blocks (not in nested classes, which are asked on their own, nor in other lambdas, which are
   * analysed with the one they are in). The analysis takes them as bodies of their own. For a file out of scope,
   * empty.
   */
  public List<TreePath> topLevelLambdas(VisitorState state) {
    if (!fileInScope(state) || !(state.getPath().getLeaf() instanceof ClassTree c)) {
      return List.of();
    }
    if (flowBodiesKnown) {
      return topLevelLambdas.getOrDefault(c, List.of());
    }
    List<TreePath> found = topLevelLambdas.get(c);
    if (found == null) {
      List<TreePath> out = new ArrayList<>(0);
      TreePathScanner<Void, Void> scanner = new TreePathScanner<>() {
        @Override
        public Void visitClass(ClassTree nested, Void v) {
          return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree l, Void v) {
          out.add(getCurrentPath());
          return null;
        }
      };
      for (Tree member : c.getMembers()) {
        if (!(member instanceof MethodTree) && !(member instanceof ClassTree)) {
          scanner.scan(new TreePath(state.getPath(), member), null);
        }
      }
      found = out.isEmpty() ? List.of() : out;
      topLevelLambdas.put(c, found);
    }
    return found;
  }

  /** The bodies (methods, lambdas) of the current file that refer to something that can make an event. */
  private final Set<Tree> flowBodies = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  /** False when the file scan failed part way: then each body is asked with {@link #mentionsVocabulary}. */
  private boolean flowBodiesKnown;

  /**
   * The file scan (see {@link #scanFile}). It uses javac's own tree scanner and reads symbols straight off the
   * trees: it visits every node of every file in the compilation, so it is kept to the cheapest walk there is.
   */
  private final class FileScan extends com.sun.tools.javac.tree.TreeScanner {
    boolean inScope;
    boolean acquires;
    final List<MemberReferenceTree> refs = new ArrayList<>();
    final Map<ClassSymbol, ClassTree> classes = new LinkedHashMap<>();
    final Map<ClassTree, List<TreePath>> calls = new IdentityHashMap<>();
    final Map<ClassTree, List<TreePath>> lambdas = new IdentityHashMap<>();
    /** The trees being scanned, the compilation unit first: the path of a call worth recording. */
    private JCTree[] stack = new JCTree[64];
    private int depth;
    /** The bodies being scanned, innermost last. */
    private final List<Tree> open = new ArrayList<>();
    /**
     * How many of the open bodies, from the outermost, are known to need the flow. A mention marks every open
     * body (an enclosing method's pre-filter sees its nested lambdas and local classes), so the marked ones are
     * always the outermost: while the innermost is marked, nothing inside it needs asking.
     */
    private int marked;

    @Override
    public void scan(JCTree t) {
      if (t == null) {
        return;
      }
      Symbol sym;
      switch (t.getTag()) {
        case IDENT -> sym = ((JCTree.JCIdent) t).sym;
        case SELECT -> sym = ((JCTree.JCFieldAccess) t).sym;
        case APPLY -> sym = null; // its method's name, scanned next, answers for the call
        case NEWCLASS -> sym = ((JCTree.JCNewClass) t).constructor;
        case REFERENCE -> {
          sym = ((JCTree.JCMemberReference) t).sym;
          refs.add((JCTree.JCMemberReference) t);
        }
        case LAMBDA -> sym = t.type == null ? null : t.type.tsym;
        default -> {
          sym = null;
          if (t instanceof JCTree.JCClassDecl c && c.sym != null) {
            classes.put(c.sym, c);
          }
          if (!inScope) {
            inScope = refersToVocabulary(t);
          }
        }
      }
      if (depth == stack.length) {
        stack = java.util.Arrays.copyOf(stack, depth * 2);
      }
      stack[depth++] = t;
      // Once the file is in scope and every open body is marked, only a called method's name can still matter
      // (a call the rules on single calls judge, a counted reference taken): most names need no answer.
      boolean callName = sym != null && depth > 1
          && stack[depth - 2] instanceof JCTree.JCMethodInvocation call && call.meth == t;
      if (sym != null && (callName || !inScope || marked < open.size())) {
        int relevance = vocab.relevance(sym);
        if (relevance != Vocabulary.NONE) {
          inScope = true;
          if ((relevance & Vocabulary.FLOW) != 0 && marked < open.size()) {
            for (int i = marked; i < open.size(); i++) {
              flowBodies.add(open.get(i));
            }
            marked = open.size();
          }
          if (callName) {
            acquires |= (relevance & Vocabulary.TAKES_REFERENCE) != 0;
            if ((relevance & Vocabulary.CALL) != 0) {
              record(depth - 1, calls);
            }
          }
        }
      }
      t.accept(this);
      depth--; // a failure anywhere abandons the whole scan, so no finally
    }

    /** Records the tree at {@code stack[top - 1]}, with its path, under its innermost enclosing class. */
    private void record(int top, Map<ClassTree, List<TreePath>> into) {
      int cls = top - 1;
      while (cls >= 0 && !stack[cls].hasTag(JCTree.Tag.CLASSDEF)) {
        cls--;
      }
      if (cls < 0 || !(stack[0] instanceof JCTree.JCCompilationUnit cu)) {
        return;
      }
      TreePath path = new TreePath(cu);
      for (int i = 1; i < top; i++) {
        path = new TreePath(path, stack[i]);
      }
      into.computeIfAbsent((ClassTree) stack[cls], k -> new ArrayList<>(2)).add(path);
    }

    /** How many bodies were open when the innermost class being scanned began. */
    private int bodiesAtClass;

    @Override
    public void visitClassDef(JCTree.JCClassDecl c) {
      int outer = bodiesAtClass;
      bodiesAtClass = open.size();
      super.visitClassDef(c);
      bodiesAtClass = outer;
    }

    // An import or the package name alone brings nothing in: every use of the vocabulary is in a declaration or a
    // body, and those are scanned.
    @Override
    public void visitImport(JCTree.JCImport i) {}

    @Override
    public void visitPackageDef(JCTree.JCPackageDecl p) {}

    @Override
    public void visitMethodDef(JCTree.JCMethodDecl m) {
      // The pre-filter reads the body only: a parameter of a drm type alone makes no event.
      scan(m.mods);
      scan(m.restype);
      scan(m.typarams);
      scan(m.recvparam);
      scan(m.params);
      scan(m.thrown);
      scan(m.defaultValue);
      body(m, m.body);
    }

    @Override
    public void visitLambda(JCTree.JCLambda l) {
      if (open.size() == bodiesAtClass) {
        record(depth, lambdas); // in no method of its class: a body of its own (see topLevelLambdas)
      }
      scan(l.params);
      body(l, l.body);
    }

    private void body(Tree owner, @Nullable JCTree body) {
      open.add(owner);
      try {
        scan(body);
      } finally {
        open.remove(open.size() - 1);
        marked = Math.min(marked, open.size());
      }
    }
  }

  /** A declaration (class, field, method, parameter) that brings the vocabulary in. */
  private boolean refersToVocabulary(Tree t) {
    if (t instanceof ClassTree c) {
      var sym = ASTHelpers.getSymbol(c);
      return sym != null && vocab.inheritsVocabulary(sym);
    }
    if (t instanceof VariableTree || t instanceof MethodTree) {
      var sym = ASTHelpers.getSymbol(t);
      return sym != null && vocab.isInScope(sym);
    }
    return false;
  }

  /**
   * Whether the file calls an {@code @Acquires} method (takes a counted drm device reference): the one thing a
   * class must do for {@code ModuleLifetime}'s holder rule to have anything to say, asked before it scans a class.
   */
  public boolean fileAcquires(VisitorState state) {
    fileInScope(state);
    return gateAcquires;
  }

  private boolean gateAcquires;

  /**
   * Analyses the method or top-level lambda at {@code path}. Lambdas nested in a method are analysed with it;
   * asking for them directly returns {@link AnalysisResult#EMPTY}.
   *
   * @param uncheckedExceptions count the implicit unchecked exceptions of calls as exits
   */
  public AnalysisResult analyze(TreePath path, boolean uncheckedExceptions) {
    CompilationUnitTree cu = path.getCompilationUnit();
    if (!fileInScope(cu)) {
      return AnalysisResult.EMPTY;
    }
    if (cu != unit) {
      unit = cu;
      cache.clear();
      cacheUnchecked.clear();
    }
    Tree tree = path.getLeaf();
    Map<Tree, AnalysisResult> c = uncheckedExceptions ? cacheUnchecked : cache;
    AnalysisResult r = c.get(tree);
    if (r == null) {
      r = compute(path, uncheckedExceptions);
      c.put(tree, r);
    }
    return r;
  }

  private AnalysisResult compute(TreePath path, boolean unchecked) {
    try {
      Tree tree = path.getLeaf();
      if (tree instanceof MethodTree mt) {
        if (mt.getBody() == null || !needsFlow(mt, mt.getBody())) {
          return AnalysisResult.EMPTY;
        }
      } else if (tree instanceof LambdaExpressionTree lt) {
        if (enclosingBody(path) != null || !needsFlow(lt, lt.getBody())) {
          return AnalysisResult.EMPTY;
        }
      } else {
        return AnalysisResult.EMPTY;
      }
      var hook = faultInjector;
      if (hook != null) {
        hook.accept(tree);
      }
      return new Run(path, unchecked).run();
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      if (DEBUG) {
        LOG.log(Level.WARNING, "Lifeguard: analysis failed; no findings for this method", e);
      }
      String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
      return AnalysisResult.failed(e.getClass().getSimpleName() + message);
    }
  }

  /** The enclosing method or lambda of a tree, if any (stops at a class). */
  private static @Nullable Tree enclosingBody(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof MethodTree || t instanceof LambdaExpressionTree) {
        return t;
      }
      if (t instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  /** The pre-filter's answer for a method or lambda of the file in scope: from the file scan, else by a scan. */
  private boolean needsFlow(Tree owner, Tree body) {
    return flowBodiesKnown ? flowBodies.contains(owner) : mentionsVocabulary(body);
  }

  /**
   * The per-method pre-filter: does the body refer to anything that can make a finding (a call or a parameter
   * with the vocabulary, a binding-scoped variable)? Mentioning a drm device or a callback type alone cannot, and
   * in driver code nearly every method does that, so building no CFG for it is what keeps the cost down.
   */
  boolean mentionsVocabulary(Tree body) {
    return mentions(body, vocab::needsFlow);
  }

  private static boolean mentions(Tree tree, java.util.function.Predicate<com.sun.tools.javac.code.Symbol> relevant) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree t, Void v) {
        if (found[0] || t == null) {
          return null;
        }
        if (t instanceof MethodInvocationTree || t instanceof NewClassTree || t instanceof IdentifierTree
            || t instanceof MemberSelectTree || t instanceof MemberReferenceTree) {
          var sym = ASTHelpers.getSymbol(t);
          if (sym != null && relevant.test(sym)) {
            found[0] = true;
            return null;
          }
        } else if (t instanceof LambdaExpressionTree) {
          var type = ASTHelpers.getType(t);
          if (type != null && type.tsym != null && relevant.test(type.tsym)) {
            found[0] = true;
            return null;
          }
        }
        return super.scan(t, v);
      }
    }.scan(tree, null);
    return found[0];
  }

  /** One analysis of a method and its lambdas. */
  private final class Run {
    private final TreePath rootPath;
    private final boolean unchecked;
    private final List<Body> bodies = new ArrayList<>();
    private final Map<Tree, List<Event>> byTree = new LinkedHashMap<>();

    Run(TreePath rootPath, boolean unchecked) {
      this.rootPath = rootPath;
      this.unchecked = unchecked;
    }

    AnalysisResult run() {
      Tree root = rootPath.getLeaf();
      ClassTree cls = ASTHelpers.findEnclosingNode(rootPath, ClassTree.class);
      if (root instanceof MethodTree mt) {
        MethodSymbol sym = ASTHelpers.getSymbol(mt);
        CodeContext ctx = contexts.ofMethod(sym, rootPath.getCompilationUnit());
        Body body = new Body(mt, () -> "`" + mt.getName() + "`", ctx, Body.Mode.METHOD, () -> "", null);
        analyzeBody(rootPath, new UnderlyingAST.CFGMethod(mt, cls), body, LifetimeStore.EMPTY, mt, cls);
      } else {
        LambdaExpressionTree lt = (LambdaExpressionTree) root;
        CodeContext ctx = contexts.ofFunctionalType(ASTHelpers.getType(lt), "the lambda").orElse(CodeContext.UNKNOWN);
        Body body = new Body(lt, () -> "the lambda", ctx, Body.Mode.RUNS_LATER, () -> "it is stored in a field", null);
        analyzeBody(rootPath, new UnderlyingAST.CFGLambda(lt, cls, null), body, LifetimeStore.EMPTY, null, cls);
      }
      ImmutableList.Builder<Event> out = ImmutableList.builder();
      for (List<Event> es : byTree.values()) {
        out.addAll(merge(es));
      }
      return new AnalysisResult(ImmutableList.copyOf(bodies), out.build());
    }

    private void analyzeBody(
        TreePath path, UnderlyingAST ast, Body body, LifetimeStore initial, @Nullable MethodTree method, ClassTree cls) {
      bodies.add(body);
      // The CFG builder scans the leaf of the path it is given: the body, not the method or lambda.
      Tree code = body.tree() instanceof MethodTree mt ? mt.getBody() : ((LambdaExpressionTree) body.tree()).getBody();
      LifetimeRules rules = new LifetimeRules(vocab, symtab, body, unchecked,
          com.google.common.base.Suppliers.memoize(() -> declaredIn(body.tree())));
      BodyFlow flow = walk(path, code, rules, initial);
      if (flow == null) {
        flow = graph(new TreePath(path, code), ast, rules, initial);
      } else if (CROSS_CHECK) {
        crossCheck(body, flow, graph(new TreePath(path, code), ast, rules, initial));
      }
      if (DEBUG) {
        LOG.info("Lifeguard: " + body.debugPrint() + " exit " + flow.regularExit());
      }
      for (List<Event> es : flow.events()) {
        for (Event ev : es) {
          byTree.computeIfAbsent(ev.tree(), k -> new ArrayList<>()).add(ev);
        }
      }
      leaks(flow.regularExit(), body, false, byTree);
      leaks(flow.exceptionalExit(), body, true, byTree);

      Map<Tree, TreePath> paths = lambdaPaths(path, flow.lambdas().keySet());
      for (Map.Entry<Tree, LifetimeStore> e : flow.lambdas().entrySet()) {
        LambdaExpressionTree lt = (LambdaExpressionTree) e.getKey();
        if (e.getValue().isBottom()) {
          continue; // unreachable lambda
        }
        TreePath lp = paths.get(lt);
        if (lp == null) {
          continue;
        }
        Body lb = lambdaBody(lp, lt, body);
        LifetimeStore seed = seed(e.getValue(), lb);
        analyzeBody(lp, new UnderlyingAST.CFGLambda(lt, cls, method), lb, seed, method, cls);
      }
    }

    /**
     * The paths of a body's lambdas, found in one scan (a search per lambda would be quadratic in a long method
     * with many lambdas). Nested lambdas are found when their enclosing lambda is analysed.
     */
    private Map<Tree, TreePath> lambdaPaths(TreePath body, Set<Tree> lambdas) {
      Map<Tree, TreePath> out = new java.util.IdentityHashMap<>();
      if (lambdas.isEmpty()) {
        return out;
      }
      // javac's scanner with a stack of ancestors: a path object is built only for the lambdas asked for.
      List<JCTree> ancestors = new ArrayList<>();
      com.sun.tools.javac.tree.TreeScanner scanner = new com.sun.tools.javac.tree.TreeScanner() {
        @Override
        public void scan(JCTree t) {
          if (t == null || t instanceof JCTree.JCClassDecl) {
            return; // a class's lambdas belong to its methods
          }
          if (t instanceof JCTree.JCLambda && lambdas.contains(t)) {
            TreePath p = body;
            for (JCTree a : ancestors) {
              p = new TreePath(p, a);
            }
            out.put(t, new TreePath(p, t));
            return; // nested lambdas are found when this one is analysed
          }
          ancestors.add(t);
          t.accept(this);
          ancestors.remove(ancestors.size() - 1);
        }
      };
      ((JCTree) body.getLeaf()).accept(scanner);
      return out;
    }

    /** The structured walk, or null when the body has a construct it leaves to the CFG. */
    private @Nullable BodyFlow walk(TreePath path, Tree code, LifetimeRules rules, LifetimeStore initial) {
      if (!STRUCTURED_WALK) {
        return null;
      }
      List<ClassSymbol> classes = new ArrayList<>();
      for (TreePath p = path; p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree ct && ASTHelpers.getSymbol(ct) != null) {
          classes.add(ASTHelpers.getSymbol(ct));
        }
      }
      StructuredWalk w = new StructuredWalk(rules, vocab.types(), classes);
      try {
        w.run(code, initial);
      } catch (StructuredWalk.Unsupported e) {
        if (DEBUG) {
          LOG.info("Lifeguard: " + e.getMessage() + " in " + rules.body().name() + "; the CFG takes it");
        }
        return null;
      } catch (RuntimeException e) {
        // A bug in the walk must not cost the body its findings: the CFG engine takes it (tests see the bug).
        if (CROSS_CHECK) {
          throw e;
        }
        if (DEBUG) {
          LOG.log(Level.WARNING, "Lifeguard: structured walk failed in " + rules.body().name() + "; the CFG takes it", e);
        }
        return null;
      }
      walkCount++;
      var tamper = walkTamper;
      if (tamper != null) {
        tamper.accept(w);
      }
      Map<Tree, LifetimeStore> lambdas = new LinkedHashMap<>();
      w.lambdaStores.forEach((k, st) -> lambdas.merge(k instanceof List<?> l ? (Tree) l.get(0) : (Tree) k, st,
          LifetimeStore::leastUpperBound));
      return new BodyFlow(List.copyOf(w.events.values()), w.regularExit, w.exceptionalExit, lambdas);
    }

    /** The CFG engine: Error Prone's dataflow over the body's control-flow graph. */
    private BodyFlow graph(TreePath codePath, UnderlyingAST ast, LifetimeRules rules, LifetimeStore initial) {
      ControlFlowGraph cfg = CFGBuilder.build(codePath, ast, false, false, env);
      cfgCount++;
      LifetimeTransfer transfer = new LifetimeTransfer(rules, initial);
      ForwardAnalysisImpl<LifetimeValue, LifetimeStore, LifetimeTransfer> analysis = new ForwardAnalysisImpl<>(transfer);
      analysis.performAnalysis(cfg);
      // Lambdas declared in this body (deduplicated: a lambda in a finally appears once per copy).
      Map<Tree, LifetimeStore> lambdas = new LinkedHashMap<>();
      for (LambdaExpressionTree lt : cfg.getDeclaredLambdas()) {
        lambdas.putIfAbsent(lt, LifetimeStore.BOTTOM);
      }
      transfer.lambdaStores.forEach(
          (node, store) -> {
            if (lambdas.containsKey(node.getTree())) {
              lambdas.put(node.getTree(), lambdas.get(node.getTree()).leastUpperBound(store));
            }
          });
      LifetimeStore exceptional = analysis.getExceptionalExitStore();
      return new BodyFlow(List.copyOf(transfer.events.values()), analysis.getRegularExitStore(),
          exceptional == null ? LifetimeStore.BOTTOM : exceptional, lambdas);
    }

    /** Holds the two engines to each other (tests run with it on): any difference is a bug in one of them. */
    private void crossCheck(Body body, BodyFlow walked, BodyFlow graphed) {
      Map<Tree, List<Event>> a = mergedByTree(walked, body);
      Map<Tree, List<Event>> b = mergedByTree(graphed, body);
      String diff = "";
      Set<Tree> trees = new java.util.LinkedHashSet<>(a.keySet());
      trees.addAll(b.keySet());
      for (Tree t : trees) {
        List<Event> ea = a.getOrDefault(t, List.of());
        List<Event> eb = b.getOrDefault(t, List.of());
        if (!ea.equals(eb)) {
          diff += "\n  at " + t + ": walk " + ea.stream().map(AnalysisResult::debug).toList()
              + " cfg " + eb.stream().map(AnalysisResult::debug).toList()
              + (ea.size() == 1 && eb.size() == 1 ? " (" + ea.get(0) + " vs " + eb.get(0) + ")" : "");
        }
      }
      Map<Tree, String> la = new LinkedHashMap<>();
      walked.lambdas().forEach((k, v) -> la.put(k, comparable(v)));
      Map<Tree, String> lb = new LinkedHashMap<>();
      graphed.lambdas().forEach((k, v) -> lb.put(k, comparable(v)));
      if (!la.equals(lb)) {
        diff += " lambdas: walk " + la.values() + " cfg " + lb.values();
      }
      if (!diff.isEmpty()) {
        throw new CrossCheckFailure("Lifeguard engines disagree on " + body.name() + ": " + diff);
      }
    }

    private Map<Tree, List<Event>> mergedByTree(BodyFlow flow, Body body) {
      Map<Tree, List<Event>> by = new java.util.HashMap<>();
      for (List<Event> es : flow.events()) {
        for (Event ev : es) {
          by.computeIfAbsent(ev.tree(), k -> new ArrayList<>()).add(ev);
        }
      }
      leaks(flow.regularExit(), body, false, by);
      leaks(flow.exceptionalExit(), body, true, by);
      Map<Tree, List<Event>> out = new java.util.HashMap<>();
      by.forEach((t, es) -> out.put(t, new ArrayList<>(new HashSet<>(merge(es)))));
      out.replaceAll((t, es) -> { es.sort(java.util.Comparator.comparing(Object::toString)); return es; });
      return out;
    }

    /** A lambda's creation store without the CFG's synthetic variables (named with a '#'). */
    private static String comparable(LifetimeStore s) {
      return s.debugPrint().replaceAll("\\(local [^ )]*#[^)]*\\)\\)", "");
    }

    private void leaks(@Nullable LifetimeStore exit, Body body, boolean exceptional, Map<Tree, List<Event>> byTree) {
      if (exit == null || exit.isBottom()) {
        return;
      }
      for (SectionState s : exit.sections().values()) {
        if (s.mayHeld() && !s.inherited() && s.enterTree() != null) {
          byTree.computeIfAbsent(s.enterTree(), k -> new ArrayList<>())
              .add(new Event.Leak(s.enterTree(), body, s.tokenName(), s.device(), exceptional));
        }
      }
    }
  }

  /** What one engine found in one body: events per tree (a list per CFG node or walk copy), exits, lambdas. */
  private record BodyFlow(
      List<List<Event>> events, LifetimeStore regularExit, LifetimeStore exceptionalExit, Map<Tree, LifetimeStore> lambdas) {}

  /** The variables declared inside a body (to tell a captured outer token from a local one). */
  private static Set<Symbol> declaredIn(Tree body) {
    Set<Symbol> out = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree v, Void p) {
        VarSymbol s = ASTHelpers.getSymbol(v);
        if (s != null) {
          out.add(s);
        }
        return super.visitVariable(v, p);
      }
    }.scan(body, null);
    return out;
  }

  /** The initial store of a lambda, from the store where it is created and how it runs. */
  private static LifetimeStore seed(LifetimeStore atCreation, Body lambda) {
    // Captured locals keep their lifetime facts in every mode.
    LifetimeStore s = atCreation.localsOnly();
    if (lambda.mode() == Body.Mode.RUNS_NOW || lambda.mode() == Body.Mode.IN_SECTION) {
      for (Map.Entry<Object, SectionState> e : atCreation.sections().entrySet()) {
        SectionState st = e.getValue();
        s = s.withSection(e.getKey(), new SectionState(st.mask(), st.enterTree(), st.device(), st.tokenName(), st.scoped(), true));
      }
    }
    if (lambda.mode() == Body.Mode.IN_SECTION) {
      s = s.withSection(lambda.tree(), new SectionState(SectionState.HELD, null, "callee", "closure section", false, true));
    }
    return s;
  }

  /** Decides how a lambda runs and in which context. */
  private Body lambdaBody(TreePath lp, LambdaExpressionTree lt, Body parent) {
    Optional<CodeContext> declared = contexts.ofFunctionalType(ASTHelpers.getType(lt), "the lambda");
    TreePath p = lp.getParentPath();
    Tree child = lt;
    while (p != null && (p.getLeaf().getKind() == Tree.Kind.PARENTHESIZED || p.getLeaf() instanceof TypeCastTree)) {
      child = p.getLeaf();
      p = p.getParentPath();
    }
    Tree parentTree = p == null ? null : p.getLeaf();
    Body.Mode mode;
    java.util.function.Supplier<String> reason;
    Symbol callee = null;
    List<? extends ExpressionTree> args = null;
    if (parentTree instanceof MethodInvocationTree mit) {
      callee = ASTHelpers.getSymbol(mit);
      args = mit.getArguments();
    } else if (parentTree instanceof NewClassTree nct) {
      callee = ASTHelpers.getSymbol(nct);
      args = nct.getArguments();
    }
    if (callee instanceof MethodSymbol m && args != null && args.contains(child)) {
      int i = args.indexOf(child);
      List<VarSymbol> ps = m.getParameters();
      VarSymbol param = ps.isEmpty() ? null : ps.get(Math.min(i, ps.size() - 1));
      // Message text, built only if a message asks.
      java.util.function.Supplier<String> calleeName =
          () -> m.owner.getSimpleName() + "." + (m.isConstructor() ? "<init>" : m.getSimpleName());
      if (param != null && Vocabulary.has(param, Vocabulary.IN_SECTION)) {
        mode = Body.Mode.IN_SECTION;
        reason = () -> "it is passed to the @InSection parameter of " + calleeName.get();
      } else if (param != null && Vocabulary.has(param, Vocabulary.RUNS_LATER)) {
        mode = Body.Mode.RUNS_LATER;
        reason = () -> "it is passed to " + calleeName.get() + ", whose parameter is @RunsLater";
      } else if (param != null && Vocabulary.has(param, Vocabulary.RUNS_NOW)) {
        mode = Body.Mode.RUNS_NOW;
        reason = () -> "it is passed to the @RunsNow parameter of " + calleeName.get();
      } else if (param != null && param.type != null && Vocabulary.has(param.type.tsym, Vocabulary.MANAGED_ACTION)) {
        mode = Body.Mode.RUNS_LATER;
        reason = () -> "it is a managed action (" + param.type.tsym.getSimpleName() + "), run when a lifetime ends";
      } else if (vocab.isDeferredJdkApi(m)) {
        mode = Body.Mode.RUNS_LATER;
        reason = () -> "it is passed to " + calleeName.get() + ", which runs it later on another thread";
      } else if (declared.isPresent()) {
        mode = Body.Mode.RUNS_LATER;
        reason = () -> "it is a callback, run whenever its caller invokes it";
      } else {
        mode = Body.Mode.RUNS_NOW;
        reason = () -> "it is passed to " + calleeName.get() + ", assumed to run it before returning";
      }
    } else if (parentTree instanceof VariableTree || parentTree instanceof AssignmentTree
        || parentTree instanceof ReturnTree) {
      mode = Body.Mode.RUNS_LATER;
      reason = () -> "it is stored, so it can run after this code returns";
    } else if (declared.isPresent()) {
      mode = Body.Mode.RUNS_LATER;
      reason = () -> "it is a callback, run whenever its caller invokes it";
    } else {
      mode = Body.Mode.RUNS_NOW;
      reason = () -> "it runs where it is created";
    }
    CodeContext ctx = declared.orElse(parent.context());
    return new Body(lt, () -> "the lambda in " + rootName(parent), ctx, mode, reason, parent);
  }

  private static String rootName(Body b) {
    while (b.parent() != null) {
      b = b.parent();
    }
    return b.name();
  }

  /** Merges the events of one tree (several CFG copies), keeping the worst case. */
  private static List<Event> merge(List<Event> es) {
    if (es.size() == 1) {
      return es;
    }
    List<Event> out = new ArrayList<>();
    Event.BindingUse use = null;
    Event.ExitCall exit = null;
    Event.Leak leak = null;
    Event.Free free = null;
    Set<Class<?>> seen = new HashSet<>();
    for (Event e : es) {
      if (e instanceof Event.BindingUse u) {
        use = use == null ? u : new Event.BindingUse(u.tree(), u.body(), u.valueTree(), u.value(), use.guard().worst(u.guard()));
      } else if (e instanceof Event.ExitCall x) {
        exit = exit == null ? x : new Event.ExitCall(x.tree(), x.body(), x.tokenKey(), x.tokenName(), x.device(),
            x.mask() | exit.mask(), x.enteredOn() != null ? x.enteredOn() : exit.enteredOn(),
            x.otherHeldToken() != null ? x.otherHeldToken() : exit.otherHeldToken(),
            x.capturedFromOuter() || exit.capturedFromOuter());
      } else if (e instanceof Event.Leak l) {
        // Prefer reporting the normal-path leak.
        leak = leak == null || (leak.exceptional() && !l.exceptional()) ? l : leak;
      } else if (e instanceof Event.Free f) {
        // Worst case over the finally copies: a copy reached after an earlier put is a double put.
        free = free == null || (free.alreadyFreedAt() == null && f.alreadyFreedAt() != null) ? f : free;
      } else if (seen.add(e.getClass())) {
        out.add(e);
      }
    }
    if (use != null) out.add(use);
    if (exit != null) out.add(exit);
    if (leak != null) out.add(leak);
    if (free != null) out.add(free);
    return out;
  }
}
