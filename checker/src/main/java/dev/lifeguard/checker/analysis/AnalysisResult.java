package dev.lifeguard.checker.analysis;

import com.google.common.collect.ImmutableList;
import com.sun.tools.javac.tree.JCTree;
import java.util.Comparator;
import java.util.List;

/**
 * The analysis of one method (or top-level lambda) and every lambda inside it: the bodies with their contexts,
 * and the events, one per tree, in source order. Immutable.
 *
 * @param bodies the method first, then its lambdas
 * @param events merged events
 * @param failure why the analysis gave up on this body (empty when it did not): code it does not understand
 */
public record AnalysisResult(ImmutableList<Body> bodies, ImmutableList<Event> events, String failure) {
  public static final AnalysisResult EMPTY = new AnalysisResult(ImmutableList.of(), ImmutableList.of(), "");

  AnalysisResult(ImmutableList<Body> bodies, ImmutableList<Event> events) {
    this(bodies, events, "");
  }

  /** A body the analysis could not follow: no findings, and the reason, for a note. */
  static AnalysisResult failed(String why) {
    return new AnalysisResult(ImmutableList.of(), ImmutableList.of(), why);
  }

  public <T extends Event> List<T> events(Class<T> kind) {
    // Six checks ask this of every method's result: a plain loop, nothing allocated when there is nothing.
    List<T> out = null;
    for (Event e : events) {
      if (kind.isInstance(e)) {
        if (out == null) {
          out = new java.util.ArrayList<>();
        }
        out.add(kind.cast(e));
      }
    }
    return out == null ? List.of() : out;
  }

  /** An S-expression of bodies and events, for tests and {@code -Dlifeguard.debug=true}. */
  public String debugPrint() {
    StringBuilder sb = new StringBuilder();
    for (Body b : bodies) {
      sb.append(b.debugPrint()).append('\n');
    }
    events.stream()
        .filter(e -> !(e instanceof Event.Call) && !(e instanceof Event.DevresOn)) // calls are inputs to checks, not dataflow facts
        .sorted(Comparator.comparingInt(e -> ((JCTree) e.tree()).getStartPosition()))
        .forEach(e -> sb.append(debug(e)).append('\n'));
    return sb.toString();
  }

  static String debug(Event e) {
    return switch (e) {
      case Event.BindingUse u -> "(use " + u.tree() + " " + u.guard() + " " + u.value().debugPrint() + ")";
      case Event.ExitCall x -> "(exit " + x.tokenName() + " " + SectionState.maskText(x.mask())
          + (x.enteredOn() != null ? " entered-on " + x.enteredOn() : "")
          + (x.capturedFromOuter() ? " captured" : "") + ")";
      case Event.ReEnter r -> "(re-enter " + r.tokenName() + ")";
      case Event.UnplugInSection u -> "(unplug-in-section " + u.tokenName() + ")";
      case Event.Leak l -> "(leak " + l.tokenName() + (l.exceptional() ? " exceptional" : " normal") + ")";
      case Event.Free f -> "(free " + f.freed() + " " + f.value().debugPrint()
          + (f.container() ? " container" : "") + (f.alreadyFreedAt() != null ? " again" : "") + (f.reachedVia() != null ? " via " + f.reachedVia() : "") + ")";
      case Event.DevresOn d -> "(devres-on " + d.owner() + " " + d.ownerValue().debugPrint() + ")";
      case Event.Call c -> "(call " + c.method().owner.getSimpleName() + "." + c.method().getSimpleName() + ")";
      case Event.FieldStore s -> "(field-store " + s.field().getSimpleName() + " recv" + s.receiverValue().debugPrint()
          + " value" + s.value().debugPrint() + ")";
    };
  }
}
