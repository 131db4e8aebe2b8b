package dev.lifeguard.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class DevresOnUnboundDeviceTest {
  private final CompilationTestHelper helper =
      TestApi.add(CompilationTestHelper.newInstance(DevresOnUnboundDevice.class, getClass()));

  private static final String HEADER =
      """
      import dev.lifeguard.annotations.*;
      import dev.lifeguard.runtime.bus.*;
      import dev.lifeguard.runtime.drm.*;
      """;

  @Test
  void devresOnHandRegisteredDevice() {
    // Study case E1: vgem allocated its devm drm device on a platform device registered by hand.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Vgem extends DrmDevice {}
                abstract class Module implements DrmDriver {
                  Vgem vgem;
                  int init() {
                    Device pdev = Device.registerVirtual("vgem");
                    // BUG: Diagnostic contains: registers devres on `pdev`, which comes from Device.registerVirtual (@Driverless: registered by hand, no driver bound)
                    vgem = Devm.drmDevAlloc(pdev, this, d -> new Vgem());
                    // BUG: Diagnostic contains: a reference loop and a leak
                    MmioRegion r = Devm.ioremap(pdev, "fake", 16);
                    Device alias = pdev;
                    // BUG: Diagnostic contains: `alias`
                    Devm.addAction(alias, () -> {});
                    return 0;
                  }
                  int lambda() {
                    Runnable later = () -> {
                      Device v = Device.registerVirtual("mock");
                      // BUG: Diagnostic contains: Device.registerVirtual
                      Devm.addAction(v, () -> {});
                    };
                    later.run();
                    return 0;
                  }
                }
                """)
        .doTest();
  }

  @Test
  void devresGroupAndFauxDeviceAndProbeAreAccepted() {
    // Study case E2: an explicit devres group; and the faux-device pattern; and ordinary probe code.
    helper
        .addSourceLines(
            "T.java",
            HEADER
                + """
                class Vgem extends DrmDevice {}
                abstract class Module implements DrmDriver, BusDriver {
                  Vgem vgem;
                  DevresGroup group;
                  int init() {
                    Device pdev = Device.registerVirtual("vgem");
                    group = Devres.openGroup(pdev);
                    vgem = Devm.drmDevAlloc(pdev, this, d -> new Vgem());
                    return 0;
                  }
                  int faux() {
                    FauxDevice f = FauxDevice.create("vkms", dev -> {
                      vgem = Devm.drmDevAlloc(dev, this, d -> new Vgem());
                      return 0;
                    });
                    return 0;
                  }
                  @Override public int probe(Device dev) {
                    vgem = Devm.drmDevAlloc(dev, this, d -> new Vgem());
                    return 0;
                  }
                  @Override public void remove(Device dev) {}
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
                abstract class Module implements DrmDriver {
                  @SuppressWarnings("DevresOnUnboundDevice")
                  int init() {
                    Device pdev = Device.registerVirtual("vgem");
                    Devm.addAction(pdev, () -> {});
                    return 0;
                  }
                }
                """)
        .doTest();
  }
}
