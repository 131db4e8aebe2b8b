package dev.lifeguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * A small copy of the runtime's annotated API, written inline so the checker's tests do not depend on the
 * runtime module. Same names and annotations as the runtime contract.
 */
final class TestApi {
  private TestApi() {}

  static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    put("dev/lifeguard/runtime/bus/Device.java", """
        package dev.lifeguard.runtime.bus;
        public class Device {
          public String name() { return ""; }
          @dev.lifeguard.annotations.Driverless public static Device registerVirtual(String name) { return new Device(); }
          public void unregister() {}
        }
        """);
    put("dev/lifeguard/runtime/bus/MmioRegion.java", """
        package dev.lifeguard.runtime.bus;
        @dev.lifeguard.annotations.BindingScoped
        public class MmioRegion {
          public int readl(int off) { return 0; }
          public void writel(int off, int val) {}
          public int size;
        }
        """);
    put("dev/lifeguard/runtime/bus/DevresAction.java", """
        package dev.lifeguard.runtime.bus;
        import dev.lifeguard.annotations.*;
        @ManagedAction(Lifetime.BINDING) @BoundContext @FunctionalInterface
        public interface DevresAction { void release(); }
        """);
    put("dev/lifeguard/runtime/bus/BusDriver.java", """
        package dev.lifeguard.runtime.bus;
        @dev.lifeguard.annotations.BoundContext
        public interface BusDriver { int probe(Device dev); void remove(Device dev); }
        """);
    put("dev/lifeguard/runtime/bus/Devm.java", """
        package dev.lifeguard.runtime.bus;
        import dev.lifeguard.annotations.*;
        import dev.lifeguard.runtime.drm.*;
        import java.util.function.Function;
        import java.util.function.Supplier;
        public final class Devm {
          @BindingScoped @Counterpart("dev.lifeguard.runtime.drm.Drmm#kzalloc")
          public static <T> T kzalloc(Device dev, Supplier<T> ctor) { return ctor.get(); }
          @BindingScoped public static MmioRegion ioremap(Device dev, String name, int size) { return new MmioRegion(); }
          public static void addAction(Device dev, DevresAction action) {}
          @Counterpart("dev.lifeguard.runtime.drm.Drmm#addActionOrReset")
          public static int addActionOrReset(Device dev, DevresAction action) { return 0; }
          @OwnedBy(Lifetime.BINDING)
          public static <T extends DrmDevice> T drmDevAlloc(Device parent, DrmDriver drv, Function<Device, T> ctor) {
            return ctor.apply(parent);
          }
          public static void kfree(Device dev, @Frees Object mem) {}
        }
        """);
    put("dev/lifeguard/runtime/drm/SrcuIdx.java", """
        package dev.lifeguard.runtime.drm;
        public final class SrcuIdx { public int value() { return 0; } }
        """);
    put("dev/lifeguard/runtime/drm/DrmSection.java", """
        package dev.lifeguard.runtime.drm;
        public final class DrmSection implements AutoCloseable {
          @dev.lifeguard.annotations.Entered public boolean entered() { return true; }
          @Override public void close() {}
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmDevice.java", """
        package dev.lifeguard.runtime.drm;
        import dev.lifeguard.annotations.*;
        @DrmScoped @Counted
        public class DrmDevice {
          @Enter public boolean enter(@Token SrcuIdx idx) { return true; }
          @Exit public void exit(@Token SrcuIdx idx) {}
          @Enter public DrmSection enterScoped() { return new DrmSection(); }
          public boolean guarded(@RunsNow @InSection Runnable fn) { fn.run(); return true; }
          @Unplugs public void unplug() {}
          @Acquires public DrmDevice get() { return this; }
          @ReleaseBarrier public static void releaseBarrier() {}
          public DrmDriver driver() { return null; }
          @Frees public void put() {}
          public dev.lifeguard.runtime.bus.Device parent() { return null; }
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmFile.java", """
        package dev.lifeguard.runtime.drm;
        public final class DrmFile { public DrmDevice drm() { return null; } }
        """);
    put("dev/lifeguard/runtime/drm/DrmIoctl.java", """
        package dev.lifeguard.runtime.drm;
        @FunctionalInterface
        public interface DrmIoctl {
          @dev.lifeguard.annotations.UserReachable("ioctls run for as long as userspace holds an fd, also after unbind")
          int handle(DrmFile file, long arg);
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmDriver.java", """
        package dev.lifeguard.runtime.drm;
        public interface DrmDriver {
          String name();
          default dev.lifeguard.runtime.module.KernelModule owner() { return null; }
          @dev.lifeguard.annotations.ReleaseHook default void release(DrmDevice drm) {}
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmmAction.java", """
        package dev.lifeguard.runtime.drm;
        import dev.lifeguard.annotations.*;
        @ManagedAction(Lifetime.DRM) @FunctionalInterface
        public interface DrmmAction {
          @UserReachable("drmm actions run at the final drm put, after unbind") void release(DrmDevice drm);
        }
        """);
    put("dev/lifeguard/runtime/drm/Drmm.java", """
        package dev.lifeguard.runtime.drm;
        import dev.lifeguard.annotations.*;
        import java.util.function.Supplier;
        public final class Drmm {
          @DrmScoped public static <T> T kzalloc(DrmDevice drm, Supplier<T> ctor) { return ctor.get(); }
          public static void kfree(DrmDevice drm, @Frees Object mem) {}
          public static void addAction(DrmDevice drm, DrmmAction action) {}
          @RegistersCleanup("mode-config") public static int modeConfigInit(DrmDevice drm) { return 0; }
          @DrmScoped @RegistersCleanup("plane")
          public static DrmPlane universalPlaneAlloc(DrmDevice drm, String name, DrmPlaneFuncs funcs) { return new DrmPlane(); }
          @Counterpart("dev.lifeguard.runtime.bus.Devm#addActionOrReset")
          public static int addActionOrReset(DrmDevice drm, DrmmAction action) { return 0; }
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmModeConfig.java", """
        package dev.lifeguard.runtime.drm;
        public final class DrmModeConfig {
          public static int init(DrmDevice drm) { return 0; }
          @dev.lifeguard.annotations.CleansUp("mode-config") public static void cleanup(DrmDevice drm) {}
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmEncoder.java", """
        package dev.lifeguard.runtime.drm;
        @dev.lifeguard.annotations.DrmScoped
        public class DrmEncoder { public void enable() {} }
        """);
    put("dev/lifeguard/runtime/drm/DrmPlaneFuncs.java", """
        package dev.lifeguard.runtime.drm;
        @dev.lifeguard.annotations.UserReachable("KMS callbacks run from atomic commits, also after unbind")
        public interface DrmPlaneFuncs {
          void atomicUpdate(DrmDevice drm);
          @dev.lifeguard.annotations.DestroyHook default void destroy(DrmPlane plane) {}
        }
        """);
    put("dev/lifeguard/runtime/drm/DrmPlane.java", """
        package dev.lifeguard.runtime.drm;
        @dev.lifeguard.annotations.DrmScoped
        public class DrmPlane { public void cleanup() {} }
        """);
    put("dev/lifeguard/runtime/drm/Work.java", """
        package dev.lifeguard.runtime.drm;
        @dev.lifeguard.annotations.UserReachable("workers can run after unbind")
        @FunctionalInterface public interface Work { void run(); }
        """);
    put("dev/lifeguard/runtime/drm/Workqueue.java", """
        package dev.lifeguard.runtime.drm;
        public final class Workqueue {
          public void queueWork(@dev.lifeguard.annotations.RunsLater Runnable fn) {}
          public void queue(Work w) {}
        }
        """);
    put("dev/lifeguard/runtime/module/KernelModule.java", """
        package dev.lifeguard.runtime.module;
        import dev.lifeguard.annotations.*;
        public final class KernelModule {
          public static KernelModule load(String name, ModuleInit init, ModuleExit exit) { return new KernelModule(); }
          @PinsModule public void get() {}
          @PinsModule public boolean tryGet() { return true; }
          public void put() {}
        }
        """);
    put("dev/lifeguard/runtime/module/ModuleInit.java", """
        package dev.lifeguard.runtime.module;
        @FunctionalInterface public interface ModuleInit { int init(); }
        """);
    put("dev/lifeguard/runtime/module/ModuleExit.java", """
        package dev.lifeguard.runtime.module;
        import dev.lifeguard.annotations.*;
        @ManagedAction(Lifetime.MODULE) @FunctionalInterface public interface ModuleExit { void exit(); }
        """);
    put("dev/lifeguard/runtime/module/DeviceCount.java", """
        package dev.lifeguard.runtime.module;
        public final class DeviceCount {
          public void inc() {}
          public void dec() {}
          @dev.lifeguard.annotations.AwaitsDevices public void awaitZero() {}
        }
        """);
    put("dev/lifeguard/runtime/bus/DevresGroup.java", """
        package dev.lifeguard.runtime.bus;
        public final class DevresGroup {}
        """);
    put("dev/lifeguard/runtime/bus/Devres.java", """
        package dev.lifeguard.runtime.bus;
        public final class Devres {
          @dev.lifeguard.annotations.OpensGroup public static DevresGroup openGroup(Device dev) { return new DevresGroup(); }
          public static int releaseGroup(Device dev, DevresGroup g) { return 0; }
        }
        """);
    put("dev/lifeguard/runtime/bus/FauxDevice.java", """
        package dev.lifeguard.runtime.bus;
        public final class FauxDevice {
          public interface Probe { int probe(Device dev); }
          public static FauxDevice create(String name, Probe probe) { return new FauxDevice(); }
          public Device device() { return null; }
          public void destroy() {}
        }
        """);
    put("dev/lifeguard/runtime/bus/Bus.java", """
        package dev.lifeguard.runtime.bus;
        public final class Bus {
          public void registerDriver(BusDriver drv) {}
          public void unregisterDriver(BusDriver drv) {}
        }
        """);
    put("dev/lifeguard/runtime/gem/GemObject.java", """
        package dev.lifeguard.runtime.gem;
        import dev.lifeguard.annotations.*;
        @DrmScoped @Counted @ChainRank(ChainRank.Rank.IMPORTER_GEM)
        public class GemObject {
          @Frees public void put() {}
          public GemObject get() { return this; }
          @HandleScoped public DmaBuf dmaBuf() { return null; }
          public ImportAttach importAttach() { return null; }
        }
        """);
    put("dev/lifeguard/runtime/gem/DmaBuf.java", """
        package dev.lifeguard.runtime.gem;
        import dev.lifeguard.annotations.*;
        @Counted @ChainRank(ChainRank.Rank.DMA_BUF)
        public final class DmaBuf {
          @Counted @ChainRank(ChainRank.Rank.EXPORTER_GEM) private GemObject exporter;
          public DmaBuf get() { return this; }
          @Frees public void put() {}
        }
        """);
    put("dev/lifeguard/runtime/gem/ImportAttach.java", """
        package dev.lifeguard.runtime.gem;
        import dev.lifeguard.annotations.*;
        @ChainRank(ChainRank.Rank.IMPORTER_GEM)
        public final class ImportAttach {
          @Counted private DmaBuf dmaBuf;
          public DmaBuf dmaBuf() { return dmaBuf; }
        }
        """);
  }

  private static void put(String path, String src) {
    FILES.put(path, src);
  }

  static CompilationTestHelper add(CompilationTestHelper h) {
    for (Map.Entry<String, String> e : FILES.entrySet()) {
      h = h.addSourceLines(e.getKey(), e.getValue());
    }
    return h;
  }

  static BugCheckerRefactoringTestHelper add(BugCheckerRefactoringTestHelper h) {
    for (Map.Entry<String, String> e : FILES.entrySet()) {
      h = h.addInputLines(e.getKey(), e.getValue()).expectUnchanged();
    }
    return h;
  }

  /**
   * Compiles {@code sources} (with the inline API) through javac with Error Prone as a plugin, the way a build
   * does: the checks load from the processor path, and only {@code enabled} (e.g. {@code -Xep:Name:ERROR}) run.
   */
  static Compilation compileWithPlugin(String enabled, JavaFileObject... sources) {
    List<JavaFileObject> all = new ArrayList<>();
    for (Map.Entry<String, String> e : FILES.entrySet()) {
      all.add(JavaFileObjects.forSourceString(e.getKey().replace(".java", "").replace('/', '.'), e.getValue()));
    }
    all.addAll(List.of(sources));
    List<File> processorPath = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        processorPath.add(new File(e));
      }
    }
    return Compiler.javac()
        .withOptions(
            "-XDcompilePolicy=simple", "--should-stop=ifError=FLOW", "-Xplugin:ErrorProne -XepDisableAllChecks " + enabled)
        .withAnnotationProcessorPath(processorPath)
        .compile(all);
  }
}
