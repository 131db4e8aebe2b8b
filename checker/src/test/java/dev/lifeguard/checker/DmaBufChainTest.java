package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class DmaBufChainTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(DmaBufChain.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.annotations.ChainRank.Rank;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      import dev.lifeguard.runtime.gem.*;
      import java.util.List;
      """;

  @Test
  void fieldPointingBackUpTheChain() {
    // Seed 004: importing GEM -> dma-buf -> exported GEM; nothing points back.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                @ChainRank(Rank.DMA_BUF)
                class ExportPriv {
                  @ChainRank(Rank.EXPORTER_GEM) GemObject exported;
                  // BUG: Diagnostic contains: `importer` is a counted reference from ExportPriv (the dma-buf side of the PRIME chain) to GemObject (the importer GEM object side)
                  GemObject importer;
                  // BUG: Diagnostic contains: points back up the chain
                  List<GemObject> attached;
                  @Weak GemObject lastImporter;
                }
                @ChainRank(Rank.EXPORTER_GEM)
                class ExporterBo {
                  // BUG: Diagnostic contains: ExporterBo (the exporter GEM object side of the PRIME chain) to DmaBuf (the dma-buf side)
                  DmaBuf exportedAs;
                }
                class Framebuffer {
                  GemObject obj;          // unranked holders may hold anything
                  DmaBuf buf;
                }
                """)
        .doTest();
  }

  @Test
  void loopAmongUserTypes() {
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Fence {
                  // BUG: Diagnostic contains: `job` closes a loop of counted references (Fence -> Job -> Fence)
                  @Counted Job job;
                }
                class Job {
                  @Counted Fence done;
                }
                class Cache {
                  @Counted Entry head;
                }
                class Entry {
                  @Weak Cache owner;      // a back-pointer that does not count: no loop
                  @Counted Entry next;    // a list of its own type is not a loop between types
                }
                """)
        .doTest();
  }

  @Test
  void handleScopedPointerInUserReachableCode() {
    // Study case G2: a plane update that holds the GEM object reads obj->dma_buf.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Fb { GemObject obj; }
                class Plane implements DrmPlaneFuncs {
                  Fb fb;
                  @Override public void atomicUpdate(DrmDevice drm) {
                    // BUG: Diagnostic contains: `fb.obj.dmaBuf()` reads GemObject.dmaBuf, which is @HandleScoped
                    DmaBuf buf = fb.obj.dmaBuf();
                    DmaBuf stable = fb.obj.importAttach().dmaBuf();
                  }
                }
                class Ioctls {
                  DrmIoctl addfb(Fb fb) {
                    return (file, arg) -> {
                      // BUG: Diagnostic contains: the lambda in `addfb` is user-reachable
                      fb.obj.dmaBuf().get();
                      return 0;
                    };
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
                @ChainRank(Rank.DMA_BUF)
                class ExportPriv {
                  @SuppressWarnings("DmaBufChain") GemObject importer;
                }
                class Plane implements DrmPlaneFuncs {
                  GemObject obj;
                  @SuppressWarnings("DmaBufChain")
                  @Override public void atomicUpdate(DrmDevice drm) { obj.dmaBuf(); }
                }
                """)
        .doTest();
  }
}
