package dev.lifeguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class UnguardedDevresAccessTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(UnguardedDevresAccess.class, getClass()));

  @Test
  void identification() {
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.annotations.*;
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            final class Panel extends DrmDevice implements DrmIoctl {
              @BindingScoped Object priv;
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                // BUG: Diagnostic contains: `regs` is binding-scoped (MmioRegion is a binding-scoped type: released at unbind) but `handle` implements DrmIoctl.handle, which is user-reachable (ioctls run for as long as userspace holds an fd, also after unbind), and no section is held here
                regs.writel(0x10, 1);
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) {
                  // BUG: Diagnostic contains: and no section is held here
                  return regs.readl(0);
                }
                try {
                  regs.writel(0x14, 2);
                  return priv.hashCode();
                } finally {
                  exit(idx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void fixedTwinIsClean() {
    helper
        .addSourceLines(
            "Panel.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            final class Panel extends DrmDevice implements DrmIoctl {
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                SrcuIdx idx = new SrcuIdx();
                if (!enter(idx)) {
                  return -19;
                }
                try {
                  regs.writel(0x10, 1);
                  return regs.readl(0);
                } finally {
                  exit(idx);
                }
              }
            }
            """)
        .doTest();
  }

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      """;

  @Test
  void lambdasRunsNowRunsLaterInSection() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T implements DrmPlaneFuncs {
                  MmioRegion regs;
                  Workqueue wq;
                  java.util.concurrent.Executor executor;

                  @Override
                  public void atomicUpdate(DrmDevice drm) {
                    SrcuIdx idx = new SrcuIdx();
                    if (!drm.enter(idx)) return;
                    try {
                      java.util.List.of(1, 2).forEach(x -> regs.writel(x, 0));
                      // BUG: Diagnostic contains: the lambda runs later (it is passed to Workqueue.queueWork, whose parameter is @RunsLater), so it does not inherit any section
                      wq.queueWork(() -> regs.writel(0, 1));
                      // BUG: Diagnostic contains: which runs it later on another thread
                      executor.execute(() -> regs.writel(0, 2));
                      // BUG: Diagnostic contains: it is stored
                      Runnable r = () -> regs.writel(0, 3);
                    } finally {
                      drm.exit(idx);
                    }
                    drm.guarded(() -> regs.writel(0, 4));
                    // BUG: Diagnostic contains: no section is held here
                    java.util.List.of(1).forEach(x -> regs.writel(x, 5));
                  }
                }
                """)
        .doTest();
  }

  @Test
  void callbackLambdasMethodRefsAnonymousClasses() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                import java.util.Map;
                class T {
                  @BindingScoped Object priv;
                  MmioRegion regs;

                  Map<String, DrmIoctl> ioctls() {
                    return Map.of(
                        // BUG: Diagnostic contains: `regs` is binding-scoped (MmioRegion is a binding-scoped type: released at unbind) but the lambda in `ioctls` is user-reachable (ioctls run for as long as userspace holds an fd, also after unbind)
                        "get", (file, arg) -> regs.readl(0),
                        "ref", this::flush,
                        "anon", new DrmIoctl() {
                          @Override
                          public int handle(DrmFile file, long arg) {
                            // BUG: Diagnostic contains: `priv` is binding-scoped (field T.priv is declared @BindingScoped
                            return priv.hashCode();
                          }
                        });
                  }

                  int flush(DrmFile file, long arg) {
                    // BUG: Diagnostic contains: `flush`, used as a method reference, is a DrmIoctl
                    regs.writel(0, 1);
                    return 0;
                  }

                  void probeHelper() {
                    Devm.addAction(new Device(), () -> regs.writel(0, 0));
                  }
                }
                """)
        .doTest();
  }

  @Test
  void boundContextAndUnknownContextAreNotFlagged() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T implements BusDriver {
                  MmioRegion regs;
                  @Override public int probe(Device dev) {
                    regs = Devm.ioremap(dev, "regs", 64);
                    regs.writel(0, 1);
                    return 0;
                  }
                  @Override public void remove(Device dev) { regs.writel(0, 0); }
                  void helper() { regs.writel(0, 2); }
                }
                """)
        .doTest();
  }

  @Test
  void localsCarryLifetimeAndMaybeHeld() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  @UserReachable("debugfs files can be read after unbind")
                  void show(DrmDevice drm, Device dev, boolean fast) {
                    Object st = Devm.kzalloc(dev, Object::new);
                    SrcuIdx idx = new SrcuIdx();
                    boolean ok = fast && drm.enter(idx);
                    // BUG: Diagnostic contains: `st` is binding-scoped (Devm.kzalloc: released at unbind) but `show` is annotated, which is user-reachable (debugfs files can be read after unbind), and a section is held here only on some paths
                    st.hashCode();
                    if (ok) {
                      st.toString();
                      drm.exit(idx);
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void thirdPartyApi() {
    // A small API unrelated to the runtime, annotated with the vocabulary, is checked the same way.
    helper
        .addSourceLines(
            "acme/Card.java",
            """
            package acme;
            import dev.lifeguard.annotations.*;
            public class Card {
              @Enter public boolean hold(@Token int[] cookie) { return true; }
              @Exit public void release(@Token int[] cookie) {}
              @BindingScoped public Fifo fifo() { return new Fifo(); }
            }
            """)
        .addSourceLines("acme/Fifo.java", "package acme; public class Fifo { public void push(int v) {} }")
        .addSourceLines(
            "acme/Handler.java",
            """
            package acme;
            @dev.lifeguard.annotations.UserReachable("acme handlers run from the socket, after detach")
            public interface Handler { void onMessage(Card card, int v); }
            """)
        .addSourceLines(
            "acme/Impl.java",
            """
            package acme;
            class Impl implements Handler {
              @Override public void onMessage(Card card, int v) {
                Fifo f = card.fifo();
                // BUG: Diagnostic contains: `f` is binding-scoped (Card.fifo: released at unbind) but `onMessage` implements Handler.onMessage, which is user-reachable (acme handlers run from the socket, after detach)
                f.push(v);
                int[] c = new int[1];
                if (!card.hold(c)) return;
                try {
                  f.push(v);
                } finally {
                  card.release(c);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void noVocabularyNoFinding() {
    helper
        .addSourceLines(
            "Plain.java",
            """
            import java.util.*;
            import java.util.function.*;
            record Point(int x, int y) {}
            sealed interface Shape permits Circle, Square {}
            record Circle(double r) implements Shape {}
            record Square(double s) implements Shape {}
            class Plain<T extends Comparable<T>> {
              static final Runnable R = () -> System.out.println("x");
              static { List.of(1, 2).forEach(i -> System.out.println(i)); }
              { Supplier<String> s = () -> "y"; }
              double area(Shape s) {
                return switch (s) {
                  case Circle c when c.r() > 1 -> Math.PI * c.r() * c.r();
                  case Circle c -> 0;
                  case Square q -> q.s() * q.s();
                };
              }
              T max(List<T> xs) {
                T best = null;
                for (T x : xs) { if (best == null || x.compareTo(best) > 0) best = x; }
                return best;
              }
              Object anon() {
                return new Object() { @Override public String toString() { return "a"; } };
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppression() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T implements DrmIoctl {
                  MmioRegion regs;
                  @SuppressWarnings("UnguardedDevresAccess")
                  @Override public int handle(DrmFile file, long arg) { return regs.readl(0); }

                  @UserReachable
                  int other() {
                    @SuppressWarnings("UnguardedDevresAccess")
                    int v = regs.readl(4);
                    // BUG: Diagnostic contains: binding-scoped
                    return v + regs.readl(8);
                  }

                  // A lambda in a field initialiser is a body of its own; its field can suppress it.
                  // BUG: Diagnostic contains: binding-scoped
                  DrmIoctl loud = (f, a) -> regs.readl(12);
                  @SuppressWarnings("UnguardedDevresAccess")
                  DrmIoctl quiet = (f, a) -> regs.readl(16);
                }
                """)
        .doTest();
  }

  @Test
  void fieldInitialiserLambda() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class T {
                  static MmioRegion regs;
                  // BUG: Diagnostic contains: the lambda is user-reachable
                  static final DrmIoctl GET = (file, arg) -> regs.readl(0);
                }
                """)
        .doTest();
  }

  @Test
  void fixWrapsStatementInGuard() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(UnguardedDevresAccess.class, getClass()))
        .addInputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T implements DrmPlaneFuncs {
              MmioRegion regs;

              @Override
              public void atomicUpdate(DrmDevice drm) {
                regs.writel(0x10, 1);
              }
            }
            """)
        .addOutputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T implements DrmPlaneFuncs {
              MmioRegion regs;

              @Override
              public void atomicUpdate(DrmDevice drm) {
                SrcuIdx idx = new SrcuIdx();
                if (!drm.enter(idx)) {
                  return;
                }
                try {
                  regs.writel(0x10, 1);
                } finally {
                  drm.exit(idx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void fixUsesThisDeviceAndIntReturn() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(UnguardedDevresAccess.class, getClass()))
        .addInputLines(
            "P.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class P extends DrmDevice implements DrmIoctl {
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                int idx = 0;
                regs.writel(0x10, (int) arg);
                return idx;
              }
            }
            """)
        .addOutputLines(
            "P.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class P extends DrmDevice implements DrmIoctl {
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                int idx = 0;
                SrcuIdx idx2 = new SrcuIdx();
                if (!enter(idx2)) {
                  return -19; // -ENODEV: the device is gone
                }
                try {
                  regs.writel(0x10, (int) arg);
                } finally {
                  exit(idx2);
                }
                return idx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWithoutDevice() {
    TestApi.add(BugCheckerRefactoringTestHelper.newInstance(UnguardedDevresAccess.class, getClass()))
        .addInputLines(
            "T.java",
            """
            import dev.lifeguard.runtime.bus.*;
            import dev.lifeguard.runtime.drm.*;
            class T implements DrmIoctl {
              MmioRegion regs;

              @Override
              public int handle(DrmFile file, long arg) {
                return regs.readl(0);
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }
}
