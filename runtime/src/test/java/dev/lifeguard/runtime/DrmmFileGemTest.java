package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmCrtc;
import dev.lifeguard.runtime.drm.DrmCrtcFuncs;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.drm.DrmFile;
import dev.lifeguard.runtime.drm.DrmIoctl;
import dev.lifeguard.runtime.drm.DrmPlane;
import dev.lifeguard.runtime.drm.DrmPlaneFuncs;
import dev.lifeguard.runtime.drm.Drmm;
import dev.lifeguard.runtime.drm.DrmmAction;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.gem.Prime;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrmmFileGemTest {
  static final class Drm extends DrmDevice {
    Drm(Init init) {
      super(init);
    }
  }

  static final class Priv extends KObject {
    Priv() {
      super("Priv");
    }
  }

  final List<String> log = new ArrayList<>();
  KernelModule module;
  DrmDriver driver;

  @BeforeEach
  void setUp() {
    Kernel.reset();
    module = KernelModule.load("tdrm");
    driver = new DrmDriver() {
      @Override
      public String name() {
        return "tdrm";
      }

      @Override
      public KernelModule owner() {
        return module;
      }

      @Override
      public Map<String, DrmIoctl> ioctls() {
        return Map.of("WHERE", (f, a) -> {
          log.add(Kernel.currentContext());
          return 0;
        }, "LEAK", (f, a) -> {
          f.drm().enter(new dev.lifeguard.runtime.drm.SrcuIdx());
          return 0;
        });
      }
    };
  }

  Drm newDrm(String name) {
    return DrmDevice.alloc(Device.registerVirtual(name), driver, Drm::new);
  }

  // ------------------------------------------------------------------------------------------------- drmm

  @Test
  void drmmKzallocLivesUntilFinalPutAndKfreeFreesEarly() {
    Drm drm = newDrm("a");
    Priv kept = Drmm.kzalloc(drm, Priv::new);
    Priv early = Drmm.kzalloc(drm, Priv::new);
    Drmm.kfree(drm, early);
    assertThat(early.isAlive()).isFalse();
    assertThat(early.freedBy()).contains("drmm_kfree");
    Drmm.kfree(drm, early);
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
    assertThat(kept.isAlive()).isTrue();
    drm.put();
    assertThat(kept.freedBy()).contains("drmm allocation of Priv released at the final drm_dev_put");
  }

  @Test
  void drmmReleaseActionRunsNowAndAddActionOrResetRunsOnFailure() {
    Drm drm = newDrm("a");
    DrmmAction a = d -> log.add("a");
    Drmm.addAction(drm, a);
    Drmm.releaseAction(drm, a);
    assertThat(log).containsExactly("a");
    Kernel.failNextAllocations(1);
    assertThat(Drmm.addActionOrReset(drm, d -> log.add("reset"))).isEqualTo(-Errno.ENOMEM);
    assertThat(log).containsExactly("a", "reset").inOrder();
    drm.put();
    assertThat(log).hasSize(2); // neither runs again
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void managedKmsObjectsAreCleanedUpOnceAtFinalPut() {
    Drm drm = newDrm("a");
    Drmm.modeConfigInit(drm);
    DrmPlane primary = Drmm.universalPlaneAlloc(drm, "primary", new DrmPlaneFuncs() {});
    DrmCrtc crtc = Drmm.crtcAllocWithPlanes(drm, "crtc-0", primary, null, new DrmCrtcFuncs() {});
    drm.atomicCommit();
    drm.put();
    assertThat(crtc.isCleanedUp()).isTrue();
    assertThat(crtc.isAlive()).isFalse();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void destroyHookOnManagedCrtcIsADoubleCleanup() {
    Drm drm = newDrm("a");
    DrmPlane primary = Drmm.universalPlaneAlloc(drm, "primary", new DrmPlaneFuncs() {});
    Drmm.crtcAllocWithPlanes(drm, "crtc-0", primary, null, new DrmCrtcFuncs() {
      @Override
      public void destroy(DrmCrtc c) {
        c.cleanup("destroy hook");
      }
    });
    Drmm.modeConfigInit(drm); // registered after: mode-config cleanup runs first and calls destroy
    drm.put();
    assertThat(Kernel.violations(ViolationKind.DOUBLE_FREE).stream()
        .anyMatch(v -> v.message().contains("double cleanup of crtc `crtc-0`"))).isTrue();
  }

  @Test
  void explicitModeConfigCleanupAfterDrmmInitIsDoubleCleanup() {
    Drm drm = newDrm("a");
    Drmm.modeConfigInit(drm);
    dev.lifeguard.runtime.drm.DrmModeConfig.cleanup(drm);
    drm.put();
    assertThat(Kernel.violations(ViolationKind.DOUBLE_FREE).get(0).message())
        .contains("double drm_mode_config_cleanup");
  }

  // ------------------------------------------------------------------------------------------------- files

  @Test
  void openTakesDrmAndModuleRefsCloseDropsThem() {
    Drm drm = newDrm("a");
    DrmFile f = DrmFile.open(drm);
    assertThat(drm.refcount()).isEqualTo(2);
    assertThat(module.refcount()).isEqualTo(1);
    assertThat(f.ioctl("WHERE", 0)).isEqualTo(0);
    assertThat(log).containsExactly("ioctl WHERE");
    assertThat(f.ioctl("NOPE", 0)).isEqualTo(-Errno.EINVAL);
    f.close();
    assertThat(drm.refcount()).isEqualTo(1);
    assertThat(module.refcount()).isEqualTo(0);
    f.close();
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void openFailsAfterUnplug() {
    Drm drm = newDrm("a");
    drm.unplug();
    ErrnoException e = assertThrows(ErrnoException.class, () -> DrmFile.open(drm));
    assertThat(e.errno()).isEqualTo(Errno.ENODEV);
    assertThat(module.refcount()).isEqualTo(0);
  }

  @Test
  void ioctlReturningWithASectionHeldIsUnbalancedAndRepaired() {
    Drm drm = newDrm("a");
    DrmFile f = DrmFile.open(drm);
    f.ioctl("LEAK", 0);
    assertThat(Kernel.violations(ViolationKind.UNBALANCED_SECTION).get(0).message())
        .contains("ioctl LEAK returned with 1 drm_dev_enter section(s)");
    assertThat(Kernel.sectionDepth()).isEqualTo(0);
    drm.unplug(); // does not hang: the leaked section was ended
    f.close();
  }

  // ------------------------------------------------------------------------------------------------- GEM/PRIME

  @Test
  void handlesHoldReferencesAndLastPutFrees() {
    Drm drm = newDrm("a");
    DrmFile f = DrmFile.open(drm);
    GemObject bo = GemObject.create(drm, "bo", 4096);
    int h = f.handleCreate(bo);
    bo.put();
    assertThat(bo.refcount()).isEqualTo(1);
    GemObject looked = f.lookup(h);
    assertThat(looked).isSameInstanceAs(bo);
    looked.put();
    assertThat(drm.liveGemObjects()).isEqualTo(1);
    f.handleDelete(h);
    assertThat(bo.isAlive()).isFalse();
    assertThat(drm.liveGemObjects()).isEqualTo(0);
    bo.put();
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void exportRefsExporterGemDrmAndModuleAndImportRefsTheDmaBuf() {
    Drm exp = newDrm("exp");
    Drm imp = newDrm("imp");
    DrmFile ef = DrmFile.open(exp);
    DrmFile inf = DrmFile.open(imp);
    GemObject bo = GemObject.create(exp, "scanout", 4096);
    int h = ef.handleCreate(bo);
    bo.put();
    DmaBuf buf = Prime.handleToFd(ef, h);
    assertThat(buf.exporter()).isSameInstanceAs(bo);
    assertThat(bo.refcount()).isEqualTo(2); // handle + dma-buf
    assertThat(exp.refcount()).isEqualTo(3); // initial + file + dma-buf
    assertThat(module.refcount()).isEqualTo(3); // two files + dma-buf
    assertThat(bo.dmaBuf()).isSameInstanceAs(buf);
    assertThat(Prime.handleToFd(ef, h)).isSameInstanceAs(buf);
    buf.put();

    int ih = Prime.fdToHandle(inf, buf);
    GemObject importer = inf.lookup(ih);
    importer.put();
    assertThat(importer.isImport()).isTrue();
    assertThat(importer.importAttach().dmaBuf()).isSameInstanceAs(buf);
    assertThat(Prime.fdToHandle(inf, buf)).isEqualTo(ih); // cached

    // userspace lets go of everything on the exporter side; the chain keeps the exporter alive
    buf.put();
    ef.close();
    exp.put();
    assertThat(bo.isAlive()).isTrue();
    assertThat(exp.isAlive()).isTrue();
    inf.close(); // importer GEM -> dma-buf -> exporter GEM -> exporter drm: all go
    assertThat(bo.isAlive()).isFalse();
    assertThat(exp.isAlive()).isFalse();
    imp.put();
    assertThat(module.refcount()).isEqualTo(0);
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void selfImportReturnsTheSameObject() {
    Drm drm = newDrm("a");
    DrmFile f = DrmFile.open(drm);
    DrmFile g = DrmFile.open(drm);
    GemObject bo = GemObject.create(drm, "bo", 4096);
    int h = f.handleCreate(bo);
    bo.put();
    DmaBuf buf = Prime.handleToFd(f, h);
    assertThat(Prime.fdToHandle(f, buf)).isEqualTo(h);
    int h2 = Prime.fdToHandle(g, buf);
    GemObject same = g.lookup(h2);
    assertThat(same).isSameInstanceAs(bo);
    same.put();
    buf.put();
    f.close();
    g.close();
    drm.put();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void dmaBufPointerIsHandleScoped() {
    Drm drm = newDrm("a");
    DrmFile f = DrmFile.open(drm);
    GemObject bo = GemObject.create(drm, "bo", 4096);
    int h = f.handleCreate(bo);
    DmaBuf buf = Prime.handleToFd(f, h);
    assertThat(bo.dmaBuf()).isNotNull();
    f.handleDelete(h);
    assertThat(bo.dmaBuf()).isNull();
    assertThat(bo.isAlive()).isTrue(); // our creation ref and the dma-buf's ref
    buf.put();
    bo.put();
    assertThat(bo.isAlive()).isFalse();
    f.close();
    drm.put();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void gemObjectsLiveAtTeardownAndLeakAreReported() {
    Bus bus = Bus.create("pci");
    Device dev = bus.addDevice("gpu.0");
    Drm drm = DrmDevice.alloc(dev, driver, Drm::new);
    GemObject.create(drm, "forgotten", 4096);
    bus.removeDevice(dev);
    Kernel.checkLeaks();
    assertThat(Kernel.violations(ViolationKind.LEAK).stream().anyMatch(v -> v.message().contains("forgotten")))
        .isTrue();
    drm.put();
    assertThat(Kernel.has(ViolationKind.GEM_TEARDOWN_LIVE)).isTrue();
  }
}
