package dev.lifeguard.runtime.core;

import dev.lifeguard.runtime.bus.Device;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The simulated kernel's global state: the violation log, the per-thread context stack, the per-thread
 * {@code drm_dev_enter} sections, the live-object registry used by the leak check, and allocation fault
 * injection (like {@code failslab}).
 *
 * <p>Violations are recorded and execution continues, as KASAN and {@code WARN_ON} let the kernel go on, so a
 * scenario can run to its end and show every problem.
 *
 * <pre>{@code
 * Kernel.reset();
 * Kernel.inContext("ioctl SET_PLANE", () -> regs.writel(0x10, 1));
 * Kernel.checkLeaks();
 * List<Violation> found = Kernel.violations();
 * }</pre>
 */
public final class Kernel {
  /** One entry of a thread's context stack; {@code bound} is the device whose bound context this is, or null. */
  private record Frame(String name, Device bound) {}

  /** A section held by a thread: the drm device (as owner) and the token its enter filled. */
  private record Held(SectionOwner owner, Object token) {}

  private static final List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
  private static final Set<KObject> live = ConcurrentHashMap.newKeySet();
  private static final ThreadLocal<Deque<Frame>> contexts = ThreadLocal.withInitial(ArrayDeque::new);
  /** This thread's sections, innermost last, and the index its next section gets (srcu_read_lock's idx). */
  private static final class Sections extends ArrayList<Held> {
    private static final long serialVersionUID = 1L;
    int seq;
  }

  private static final ThreadLocal<Sections> sections = ThreadLocal.withInitial(Sections::new);
  private static final ThreadLocal<Deque<List<KObject>>> embedding = ThreadLocal.withInitial(ArrayDeque::new);
  private static final AtomicInteger failAllocations = new AtomicInteger();
  private static volatile Consumer<Violation> listener;

  private Kernel() {}

  /** Starts a fresh world: clears the violation log, the live registry, fault injection and the listener. */
  public static void reset() {
    violations.clear();
    live.clear();
    failAllocations.set(0);
    listener = null;
    contexts.get().clear();
    sections.get().clear();
    embedding.get().clear();
  }

  // ---------------------------------------------------------------------------------------------- violations

  /** Records a violation in the current context; never throws, so the offending code goes on like in the kernel. */
  public static Violation report(ViolationKind kind, String message) {
    Violation v = new Violation(kind, message, currentContext(), Thread.currentThread().getName());
    violations.add(v);
    Consumer<Violation> l = listener;
    if (l != null) {
      l.accept(v);
    }
    return v;
  }

  /** A snapshot of every violation recorded since the last {@link #reset()}. */
  public static List<Violation> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /** Whether a violation of {@code kind} was recorded. */
  public static boolean has(ViolationKind kind) {
    return violations().stream().anyMatch(v -> v.kind() == kind);
  }

  /** The violations of {@code kind}. */
  public static List<Violation> violations(ViolationKind kind) {
    return violations().stream().filter(v -> v.kind() == kind).toList();
  }

  /** Sets the callback that sees every violation as it is recorded (the scenario printer uses it); null removes it. */
  public static void onViolation(Consumer<Violation> l) {
    listener = l;
  }

  // ---------------------------------------------------------------------------------------------- contexts

  /** Runs {@code body} with {@code ctx} as the current context, e.g. {@code "ioctl SET_PLANE"} or {@code "work flush"}. */
  public static void inContext(String ctx, Runnable body) {
    inContext(ctx, () -> {
      body.run();
      return null;
    });
  }

  /** Supplier variant of {@link #inContext(String, Runnable)}. */
  public static <T> T inContext(String ctx, Supplier<T> body) {
    return run(new Frame(ctx, null), body);
  }

  /**
   * Runs {@code body} in the bound context of {@code dev} (probe, remove, devres actions, IRQ handlers). Code in a
   * bound context may touch the device's binding-scoped resources without a section. Used by the bus core.
   */
  public static <T> T inBoundContext(Device dev, String ctx, Supplier<T> body) {
    return run(new Frame(ctx, dev), body);
  }

  private static <T> T run(Frame f, Supplier<T> body) {
    Deque<Frame> stack = contexts.get();
    stack.push(f);
    try {
      return body.get();
    } finally {
      stack.pop();
    }
  }

  /** The innermost context of this thread, {@code "task"} (plain process context) when none was entered. */
  public static String currentContext() {
    Frame f = contexts.get().peek();
    return f == null ? "task" : f.name();
  }

  /** Whether this thread currently runs in the bound context of {@code dev} (innermost frame). */
  public static boolean inBoundContextOf(Device dev) {
    Frame f = contexts.get().peek();
    return f != null && f.bound() == dev;
  }

  // ---------------------------------------------------------------------------------------------- sections

  /**
   * Notes that this thread entered a section of {@code owner} with {@code token} (called by {@code drm_dev_enter});
   * returns the section's index, unique on this thread.
   */
  public static int pushSection(SectionOwner owner, Object token) {
    Sections held = sections.get();
    held.add(new Held(owner, token));
    return ++held.seq;
  }

  /** Removes the section with {@code token} of {@code owner}; false when this thread does not hold it. */
  public static boolean popSection(Object owner, Object token) {
    List<Held> held = sections.get();
    for (int i = held.size() - 1; i >= 0; i--) {
      Held h = held.get(i);
      if (h.owner() == owner && h.token() == token) {
        held.remove(i);
        return true;
      }
    }
    return false;
  }

  /** How many sections of {@code owner} this thread holds. */
  public static int sectionsOf(Object owner) {
    int n = 0;
    List<Held> held = sections.get();
    for (int i = 0; i < held.size(); i++) {
      if (held.get(i).owner() == owner) {
        n++;
      }
    }
    return n;
  }

  /** Whether this thread holds a section of {@code owner}. */
  public static boolean holdsSection(Object owner) {
    return sectionsOf(owner) > 0;
  }

  /** The number of sections this thread holds, on any device. */
  public static int sectionDepth() {
    return sections.get().size();
  }

  /**
   * Ends every section this thread holds beyond the first {@code keep} (innermost first) through its owner, after
   * a leaked section was reported, so a later unplug does not wait forever and the scenario can go on.
   */
  public static void repairSections(int keep) {
    List<Held> held = sections.get();
    while (held.size() > keep) {
      Held h = held.get(held.size() - 1);
      h.owner().forceExit(h.token());
      held.remove(h);
    }
  }

  // ---------------------------------------------------------------------------------------------- objects

  /**
   * Runs an allocation constructor and returns, in {@code into}, every {@link KObject} constructed while it ran on
   * this thread: the objects embedded in the allocation. Nested allocations keep their own objects.
   */
  public static <T> T collectEmbedded(Supplier<T> ctor, List<KObject> into) {
    Deque<List<KObject>> frames = embedding.get();
    frames.push(into);
    try {
      return ctor.get();
    } finally {
      frames.pop();
    }
  }

  static void constructed(KObject o) {
    List<KObject> frame = embedding.get().peek();
    if (frame != null) {
      frame.add(o);
    }
  }

  static void track(KObject o) {
    live.add(o);
  }

  static void untrack(KObject o) {
    live.remove(o);
  }

  /**
   * The leak check run at scenario end: every tracked object still alive whose {@link KObject#leakReport()} says
   * nothing can free it any more is reported as {@link ViolationKind#LEAK}. Returns the new LEAK violations.
   */
  public static List<Violation> checkLeaks() {
    List<Violation> out = new ArrayList<>();
    List<KObject> snapshot = new ArrayList<>(live);
    snapshot.sort((a, b) -> Long.compare(a.serial(), b.serial()));
    for (KObject o : snapshot) {
      if (!o.isAlive()) {
        continue;
      }
      String why = o.leakReport();
      if (why != null) {
        out.add(inContext("leak check", () -> report(ViolationKind.LEAK, why)));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------- fault injection

  /** Makes the next {@code n} managed allocations or action registrations fail with {@code -ENOMEM}. */
  public static void failNextAllocations(int n) {
    failAllocations.set(n);
  }

  /** Consumes one injected failure; true when this allocation must fail. Used by devres and drmm. */
  public static boolean shouldFailAllocation() {
    return failAllocations.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }
}
