package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.bus.FauxDevice;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Violation;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmCrtc;
import dev.lifeguard.runtime.drm.DrmCrtcFuncs;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmModeConfig;
import dev.lifeguard.runtime.drm.DrmPlane;
import dev.lifeguard.runtime.drm.DrmPlaneFuncs;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One wrong and one corrected driver fragment per detector. */
class DetectorTest {
  KernelModule module;
  Bus spi;
  Device dev;
  Panel panel;

  @BeforeEach
  void setUp() {
    Kernel.reset();
    module = KernelModule.load("panel");
    spi = Bus.create("spi");
    dev = spi.addDevice("panel.0");
    panel = new Panel(module);
  }

  private List<Violation> ofKind(ViolationKind k) {
    return Kernel.violations(k);
  }

  // ---------------------------------------------------------------------------------------- USE_AFTER_UNBIND

  @Test
  void useAfterUnbind_unregisterOnlyAndUnguardedIoctl() {
    panel.unplugInRemove = false;
    panel.guarded = false;
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    spi.removeDevice(dev);
    f.ioctl("SET_PLANE", 1);
    f.close();
    assertThat(ofKind(ViolationKind.USE_AFTER_UNBIND).get(0).message()).isEqualTo(
        "MMIO write to `regs` (devm, released at unbind of spi:panel.0) from ioctl SET_PLANE; no enter section held");
    assertThat(ofKind(ViolationKind.USE_AFTER_UNBIND).get(0).context()).isEqualTo("ioctl SET_PLANE");
  }

  @Test
  void useAfterUnbind_fixedWithUnplugAndGuard() {
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    spi.removeDevice(dev);
    assertThat(f.ioctl("SET_PLANE", 1)).isLessThan(0);
    f.close();
    Kernel.checkLeaks();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- UNGUARDED_HW_ACCESS

  @Test
  void unguardedHwAccess_afterUnplugBeforeUnbind() {
    panel.guarded = false;
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    panel.drm.unplug(); // e.g. a surprise-removal path; devres still mapped
    f.ioctl("SET_PLANE", 1);
    assertThat(ofKind(ViolationKind.UNGUARDED_HW_ACCESS).get(0).message()).isEqualTo(
        "MMIO write to `regs` (devm, mapped on spi:panel.0) from ioctl SET_PLANE after unplug of drm panel;"
            + " no enter section held");
    f.close();
  }

  @Test
  void unguardedHwAccess_fixedWithGuard() {
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    assertThat(f.ioctl("SET_PLANE", 7)).isEqualTo(0);
    assertThat(f.ioctl("GET_STATUS", 0)).isEqualTo(7);
    panel.drm.unplug();
    assertThat(f.ioctl("SET_PLANE", 1)).isLessThan(0);
    f.close();
    assertThat(Kernel.violations()).isEmpty();
  }

  /** An fd of the first binding keeps its unplugged drm device alive; the second binding's hardware is not its. */
  @Test
  void rebindWhileAnOldFdLives_newBindingGuardedAccessIsClean() {
    spi.registerDriver(panel);
    DrmFile old = DrmFile.open(panel.drm);
    spi.unbind(dev);
    assertThat(spi.bind(dev, panel)).isEqualTo(0);
    DrmFile f = DrmFile.open(panel.drm);
    assertThat(f.ioctl("SET_PLANE", 3)).isEqualTo(0);
    assertThat(f.ioctl("GET_STATUS", 0)).isEqualTo(3);
    assertThat(old.ioctl("SET_PLANE", 4)).isLessThan(0);
    f.close();
    old.close();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- USE_AFTER_FREE

  /** KMS objects embedded in devm memory (A1): freed at unbind, used by an atomic commit from an open fd. */
  static final class Kms {
    final DrmCrtc crtc = new DrmCrtc("crtc-0");
  }

  private BusDriver kmsDriver(boolean devm, DrmDriver drmDriver, DrmDevice[] out) {
    return new BusDriver() {
      @Override
      public String name() {
        return "panel";
      }

      @Override
      public KernelModule owner() {
        return module;
      }

      @Override
      public int probe(Device d) {
        DrmDevice drm = Devm.drmDevAlloc(d, drmDriver, Panel.PanelDrm::new);
        Drmm.modeConfigInit(drm);
        Kms kms = devm ? Devm.kzalloc(d, Kms::new) : Drmm.kzalloc(drm, Kms::new);
        DrmPlane primary = Drmm.universalPlaneAlloc(drm, "primary", new DrmPlaneFuncs() {});
        Drmm.crtcInitWithPlanes(drm, kms.crtc, primary, null, new DrmCrtcFuncs() {});
        out[0] = drm;
        return drm.register();
      }

      @Override
      public void remove(Device d) {
        out[0].unplug();
      }
    };
  }

  @Test
  void useAfterFree_kmsObjectsInDevmMemory() {
    DrmDevice[] drm = new DrmDevice[1];
    spi.registerDriver(kmsDriver(true, panel, drm));
    DrmFile f = DrmFile.open(drm[0]);
    spi.removeDevice(dev);
    Kernel.inContext("ioctl ATOMIC", () -> drm[0].atomicCommit());
    f.close();
    Violation v = ofKind(ViolationKind.USE_AFTER_FREE).get(0);
    assertThat(v.message()).contains("devm allocation of Kms released at unbind of spi:panel.0");
    assertThat(v.context()).isEqualTo("atomic commit");
  }

  @Test
  void useAfterFree_fixedWithDrmmMemory() {
    DrmDevice[] drm = new DrmDevice[1];
    spi.registerDriver(kmsDriver(false, panel, drm));
    DrmFile f = DrmFile.open(drm[0]);
    spi.removeDevice(dev);
    drm[0].atomicCommit();
    f.close();
    Kernel.checkLeaks();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- DOUBLE_FREE

  @Test
  void doubleFree_explicitModeConfigCleanupInReleaseAfterDrmmInit() {
    DrmDriver drv = new DrmDriver() {
      @Override
      public String name() {
        return "panel";
      }

      @Override
      public KernelModule owner() {
        return module;
      }

      @Override
      public void release(DrmDevice d) {
        DrmModeConfig.cleanup(d);
      }
    };
    DrmDevice drm = DrmDevice.alloc(dev, drv, Panel.PanelDrm::new);
    Drmm.modeConfigInit(drm);
    drm.put();
    assertThat(ofKind(ViolationKind.DOUBLE_FREE).get(0).message()).contains("double drm_mode_config_cleanup");
  }

  @Test
  void doubleFree_fixedByLeavingCleanupToDrmm() {
    DrmDevice drm = DrmDevice.alloc(dev, panel, Panel.PanelDrm::new);
    Drmm.modeConfigInit(drm);
    drm.put();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- UNBALANCED_SECTION

  @Test
  void unbalancedSection_missingExitOnSuccessPath() {
    panel.leakSection = true;
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    f.ioctl("SET_PLANE", 1);
    assertThat(ofKind(ViolationKind.UNBALANCED_SECTION)).hasSize(1);
    spi.removeDevice(dev); // unplug must not hang
    f.close();
  }

  @Test
  void unbalancedSection_fixed() {
    spi.registerDriver(panel);
    DrmFile f = DrmFile.open(panel.drm);
    f.ioctl("SET_PLANE", 1);
    spi.removeDevice(dev);
    f.close();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- LEAK

  @Test
  void leak_devmDrmOnVirtualDevice() {
    Device vdev = Device.registerVirtual("vkms");
    Devm.drmDevAlloc(vdev, panel, Panel.PanelDrm::new);
    vdev.unregister();
    Kernel.checkLeaks();
    assertThat(ofKind(ViolationKind.LEAK).get(0).message()).contains("reference loop");
  }

  @Test
  void leak_fixedWithFauxDevice() {
    FauxDevice fdev = FauxDevice.create("vkms", d -> {
      Devm.drmDevAlloc(d, panel, Panel.PanelDrm::new);
      return 0;
    });
    fdev.destroy();
    Kernel.checkLeaks();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- MODULE_CODE_AFTER_UNLOAD

  @Test
  void moduleCodeAfterUnload_foreignDrmRefWithoutModuleRef() {
    Panel[] p = new Panel[1];
    KernelModule m = KernelModule.load("panel-mod", null, () -> spi.unregisterDriver(p[0]));
    panel = p[0] = new Panel(m);
    spi.registerDriver(panel);
    DrmDevice foreign = panel.drm.get(); // e.g. drm_pagemap keeps a reference, no try_module_get
    assertThat(m.unload()).isTrue(); // exit unregisters the driver: unbind, devres drops the initial ref
    foreign.put(); // release hook runs out of freed module text
    assertThat(ofKind(ViolationKind.MODULE_CODE_AFTER_UNLOAD).get(0).message())
        .contains("release hook of drm panel runs code of module panel-mod");
  }

  @Test
  void moduleCodeAfterUnload_fixedByHoldingTheModule() {
    KernelModule m = KernelModule.load("panel-mod");
    panel = new Panel(m);
    spi.registerDriver(panel);
    DrmDevice foreign = panel.drm.get();
    assertThat(m.tryGet()).isTrue();
    spi.unregisterDriver(panel);
    assertThat(m.unload()).isFalse(); // EBUSY
    foreign.put();
    m.put();
    assertThat(m.unload()).isTrue();
    assertThat(Kernel.violations()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------- GEM_TEARDOWN_LIVE

  @Test
  void gemTeardownLive_objectDroppedOnlyInDevresAfterFinalPut() {
    DrmDevice drm = DrmDevice.alloc(dev, panel, Panel.PanelDrm::new);
    GemObject.create(drm, "cursor-bo", 4096); // driver keeps it "forever"
    drm.put();
    assertThat(ofKind(ViolationKind.GEM_TEARDOWN_LIVE).get(0).message()).contains("cursor-bo");
  }

  @Test
  void gemTeardownLive_fixedByPuttingInTheReleaseHook() {
    GemObject[] bo = new GemObject[1];
    DrmDriver drv = new DrmDriver() {
      @Override
      public String name() {
        return "panel";
      }

      @Override
      public KernelModule owner() {
        return module;
      }

      @Override
      public void release(DrmDevice d) {
        bo[0].put(); // the release hook runs before GEM core teardown
      }
    };
    DrmDevice drm = DrmDevice.alloc(dev, drv, Panel.PanelDrm::new);
    bo[0] = GemObject.create(drm, "cursor-bo", 4096);
    drm.put();
    assertThat(Kernel.violations()).isEmpty();
  }
}
