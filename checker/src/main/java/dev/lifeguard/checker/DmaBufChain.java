package dev.lifeguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.lifeguard.checker.analysis.AnalysisResult;
import dev.lifeguard.checker.analysis.Body;
import dev.lifeguard.checker.analysis.Event.Call;
import dev.lifeguard.checker.analysis.LifetimeAnalysis;
import dev.lifeguard.checker.analysis.Vocabulary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} for the PRIME reference chain (rule R8): a counted field that points back up the chain
 * ({@code @ChainRank}: importer GEM, then dma-buf, then exporter GEM), a cycle of counted fields among the user
 * types of a file with no {@code @Weak} edge, and a {@code @HandleScoped} pointer read in user-reachable code,
 * which holds the object, not a handle.
 *
 * <pre>{@code
 * void atomicUpdate(DrmPlane p) { DmaBuf buf = fb.obj.dmaBuf(); ... }   // handle-scoped: null after close
 * }</pre>
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "A reference against the PRIME chain, a counted reference loop, or a handle-lifetime pointer used as"
        + " an object-lifetime pointer",
    severity = ERROR,
    link = Findings.DOCS + "DmaBufChain.md",
    linkType = CUSTOM)
public final class DmaBufChain extends AnalysisCheck {
  private static final List<String> ORDER = List.of("IMPORTER_GEM", "DMA_BUF", "EXPORTER_GEM");
  private static final Map<String, String> WORDS =
      Map.of("IMPORTER_GEM", "importer GEM object", "DMA_BUF", "dma-buf", "EXPORTER_GEM", "exporter GEM object");

  @Inject
  public DmaBufChain() {}

  // ---- fields: direction and loops ----

  @Override
  Description matchClassDeclaration(ClassTree tree, VisitorState state) {
    if (!LifetimeAnalysis.instance(state).fileInScope(state)) {
      return Description.NO_MATCH;
    }
    try {
      ClassSymbol holder = ASTHelpers.getSymbol(tree);
      if (holder == null) {
        return Description.NO_MATCH;
      }
      Optional<String> holderRank = rankOfType(holder, state);
      for (Tree member : tree.getMembers()) {
        if (!(member instanceof VariableTree v)) {
          continue;
        }
        VarSymbol f = ASTHelpers.getSymbol(v);
        if (f == null || f.getKind() != ElementKind.FIELD || f.isStatic() || Vocabulary.has(f, Vocabulary.WEAK)) {
          continue;
        }
        String msg = null;
        if (holderRank.isPresent()) {
          msg = backEdge(holder, holderRank.get(), f, state);
        }
        if (msg == null) {
          msg = loop(holder, f, state);
        }
        if (msg != null && !Findings.suppresses(this, v, state)) {
          state.reportMatch(buildDescription(v).setMessage(msg).build());
        }
      }
    } catch (RuntimeException e) {
      // Incomplete symbols: no finding rather than a javac crash.
    }
    return Description.NO_MATCH;
  }

  private @Nullable String backEdge(ClassSymbol holder, String holderRank, VarSymbol f, VisitorState state) {
    for (Type t : heldTypes(f.type)) {
      if (!isCounted(f, t, state)) {
        continue;
      }
      Optional<String> target = Vocabulary.stringValue(f, Vocabulary.CHAIN_RANK);
      if (target.isEmpty() && t.tsym instanceof ClassSymbol tc) {
        target = rankOfType(tc, state);
      }
      if (target.isPresent() && ORDER.indexOf(target.get()) < ORDER.indexOf(holderRank)) {
        return "`" + f.getSimpleName() + "` is a counted reference from " + holder.getSimpleName() + " (the "
            + WORDS.get(holderRank) + " side of the PRIME chain) to " + t.tsym.getSimpleName() + " (the "
            + WORDS.get(target.get()) + " side): references flow one way, importer GEM object, then dma-buf, then"
            + " exporter GEM object, so this one points back up the chain and closes a loop (the importer's object"
            + " keeps the dma-buf, which keeps this), and none of them is ever freed; hold it @Weak (a cache that"
            + " does not count), or drop the reference";
      }
    }
    return null;
  }

  private @Nullable String loop(ClassSymbol holder, VarSymbol f, VisitorState state) {
    for (Type t : heldTypes(f.type)) {
      // The file's classes are collected only for a counted field: most fields are not.
      if (!(t.tsym instanceof ClassSymbol target) || target == holder || !isCounted(f, t, state)) {
        continue;
      }
      Map<ClassSymbol, ClassTree> userTypes = userTypes(state);
      if (!userTypes.containsKey(target)) {
        continue;
      }
      List<ClassSymbol> path = pathTo(target, holder, userTypes, state);
      if (path == null) {
        continue;
      }
      // Report the loop once: at its edge out of the class declared first.
      int mine = pos(userTypes.get(holder));
      boolean first = true;
      for (ClassSymbol c : path) {
        if (pos(userTypes.get(c)) < mine) {
          first = false;
        }
      }
      if (!first) {
        continue;
      }
      StringBuilder cycle = new StringBuilder(holder.getSimpleName().toString());
      for (ClassSymbol c : path) {
        cycle.append(" -> ").append(c.getSimpleName());
      }
      cycle.append(" -> ").append(holder.getSimpleName());
      return "`" + f.getSimpleName() + "` closes a loop of counted references (" + cycle + "): each object keeps the"
          + " next alive, so the last put never comes and none of them is freed; make one edge @Weak (a cache or"
          + " back-pointer that does not count), as the PRIME caches are";
    }
    return null;
  }

  /** A path of user types from {@code from} to {@code to} along counted fields ({@code from} first), or null. */
  private @Nullable List<ClassSymbol> pathTo(
      ClassSymbol from, ClassSymbol to, Map<ClassSymbol, ClassTree> userTypes, VisitorState state) {
    Map<ClassSymbol, ClassSymbol> parent = new HashMap<>();
    Deque<ClassSymbol> work = new ArrayDeque<>();
    Set<ClassSymbol> seen = new HashSet<>();
    work.add(from);
    seen.add(from);
    while (!work.isEmpty()) {
      ClassSymbol c = work.poll();
      for (ClassSymbol n : countedEdges(c, userTypes, state)) {
        if (n == to) {
          List<ClassSymbol> path = new ArrayList<>();
          for (ClassSymbol p = c; p != null; p = parent.get(p)) {
            path.add(0, p);
          }
          return path;
        }
        if (seen.add(n)) {
          parent.put(n, c);
          work.add(n);
        }
      }
    }
    return null;
  }

  private List<ClassSymbol> countedEdges(
      ClassSymbol c, Map<ClassSymbol, ClassTree> userTypes, VisitorState state) {
    List<ClassSymbol> out = new ArrayList<>();
    for (Symbol m : c.getEnclosedElements()) {
      if (m instanceof VarSymbol f && m.getKind() == ElementKind.FIELD && !f.isStatic() && !Vocabulary.has(f, Vocabulary.WEAK)) {
        for (Type t : heldTypes(f.type)) {
          if (t.tsym instanceof ClassSymbol tc && tc != c && userTypes.containsKey(tc) && isCounted(f, t, state)) {
            out.add(tc);
          }
        }
      }
    }
    return out;
  }

  /** The field's type and, for a container, its type arguments. */
  private static List<Type> heldTypes(@Nullable Type t) {
    List<Type> out = new ArrayList<>();
    if (t == null) {
      return out;
    }
    out.add(t);
    out.addAll(t.getTypeArguments());
    return out;
  }

  /** A counted reference: the field is {@code @Counted}, or it holds a {@code @Counted} type. */
  private boolean isCounted(VarSymbol f, Type t, VisitorState state) {
    if (Vocabulary.has(f, Vocabulary.COUNTED)) {
      return true;
    }
    if (t.tsym == null) {
      return false;
    }
    // Asked for every field of every class: the answer is the type's, so once per type.
    return countedTypes.computeIfAbsent(t.tsym, ts -> {
      for (Type s : state.getTypes().closure(ts.type)) {
        if (Vocabulary.has(s.tsym, Vocabulary.COUNTED)) {
          return true;
        }
      }
      return false;
    });
  }

  private final Map<Symbol.TypeSymbol, Boolean> countedTypes = new java.util.WeakHashMap<>();
  private final Map<ClassSymbol, Optional<String>> ranks = new java.util.WeakHashMap<>();

  private Optional<String> rankOfType(ClassSymbol c, VisitorState state) {
    return ranks.computeIfAbsent(c, k -> {
      for (Type s : state.getTypes().closure(k.type)) {
        Optional<String> r = Vocabulary.stringValue(s.tsym, Vocabulary.CHAIN_RANK);
        if (r.isPresent()) {
          return r;
        }
      }
      return Optional.empty();
    });
  }

  /** The file's classes, collected once per file: matchClass asks for every class of the file. */
  private Map<ClassSymbol, ClassTree> userTypes(VisitorState state) {
    return LifetimeAnalysis.instance(state).classesOf(state);
  }

  private static int pos(@Nullable ClassTree c) {
    return c == null ? Integer.MAX_VALUE : ((JCTree) c).getStartPosition();
  }

  // ---- handle-lifetime pointers ----

  @Override
  void report(AnalysisResult result, VisitorState state) {
    for (Call c : result.events(Call.class)) {
      Body b = c.body();
      if (!Vocabulary.has(c.method(), Vocabulary.HANDLE_SCOPED) || !b.context().isUserReachable()
          || Findings.suppressed(this, state, c.tree())) {
        continue;
      }
      String where = b.mode() == Body.Mode.METHOD ? b.context().describe()
          : b.name() + " is user-reachable" + (b.context().why().isEmpty() ? "" : " (" + b.context().why() + ")");
      state.reportMatch(buildDescription(c.tree())
          .setMessage("`" + Findings.src(state, c.tree()) + "` reads " + c.method().owner.getSimpleName() + "."
              + c.method().getSimpleName() + ", which is @HandleScoped: it is valid only while userspace holds a"
              + " handle to the object (closing the last handle sets it to null and drops its dma-buf reference),"
              + " but " + where + " and holds the object, not a handle (a framebuffer or plane state keeps a GEM"
              + " reference; userspace may close the handle at any time), so it can read null or a freed dma-buf;"
              + " for an imported object use importAttach().dmaBuf(), stable for the object's lifetime, and for an"
              + " own object use the object itself")
          .build());
    }
  }
}
