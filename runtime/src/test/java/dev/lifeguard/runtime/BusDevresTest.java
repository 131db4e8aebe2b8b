package dev.lifeguard.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifeguard.runtime.bus.Bus;
import dev.lifeguard.runtime.bus.BusDriver;
import dev.lifeguard.runtime.bus.Device;
import dev.lifeguard.runtime.bus.Devm;
import dev.lifeguard.runtime.bus.Devres;
import dev.lifeguard.runtime.bus.DevresAction;
import dev.lifeguard.runtime.bus.DevresGroup;
import dev.lifeguard.runtime.bus.FauxDevice;
import dev.lifeguard.runtime.bus.IrqRegistration;
import dev.lifeguard.runtime.bus.MmioRegion;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BusDevresTest {
  static final class Priv extends KObject {
    final KObject embedded = new KObject("embedded") {};

    Priv() {
      super("Priv");
    }
  }

  static final class Drm extends DrmDevice {
    Drm(Init init) {
      super(init);
    }
  }

  static final DrmDriver DRM = new DrmDriver() {
    @Override
    public String name() {
      return "vdrm";
    }

    @Override
    public KernelModule owner() {
      return null;
    }
  };

  /** A driver whose probe is a lambda and whose remove records itself. */
  static BusDriver driver(String name, List<String> log, ToIntFunction<Device> probe) {
    return new BusDriver() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KernelModule owner() {
        return null;
      }

      @Override
      public int probe(Device dev) {
        log.add("probe in " + Kernel.currentContext());
        return probe.applyAsInt(dev);
      }

      @Override
      public void remove(Device dev) {
        log.add("remove in " + Kernel.currentContext());
      }
    };
  }

  @BeforeEach
  void reset() {
    Kernel.reset();
  }

  @Test
  void bindRunsProbeAndUnbindRunsRemoveThenDevresLifo() {
    List<String> log = new ArrayList<>();
    Bus bus = Bus.create("spi");
    Device dev = bus.addDevice("panel.0");
    bus.registerDriver(driver("panel", log, d -> {
      Devm.addAction(d, "first", () -> log.add("first in " + Kernel.currentContext()));
      Devm.addAction(d, "second", () -> log.add("second"));
      Devm.addAction(d, "third", () -> log.add("third"));
      return 0;
    }));
    assertThat(dev.isBound()).isTrue();
    bus.unbind(dev);
    assertThat(dev.isBound()).isFalse();
    assertThat(log).containsExactly("probe in probe spi:panel.0", "remove in remove spi:panel.0", "third", "second",
        "first in devres first of spi:panel.0").inOrder();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void failedProbeReleasesDevresAndLeavesDeviceUnbound() {
    List<String> log = new ArrayList<>();
    Bus bus = Bus.create("i2c");
    Device dev = bus.addDevice("bridge.0");
    int ret = bus.bind(dev, driver("bridge", log, d -> {
      Devm.addAction(d, "clk", () -> log.add("clk released"));
      return -Errno.ENODEV;
    }));
    assertThat(ret).isEqualTo(-Errno.ENODEV);
    assertThat(dev.isBound()).isFalse();
    assertThat(log).contains("clk released");
    assertThat(dev.devresNames()).isEmpty();
    assertThat(dev.releaseReason()).isEqualTo("probe failure of i2c:bridge.0");
  }

  @Test
  void probeExceptionAlsoReleasesDevres() {
    List<String> log = new ArrayList<>();
    Bus bus = Bus.create("i2c");
    Device dev = bus.addDevice("bridge.0");
    assertThrows(IllegalStateException.class, () -> bus.bind(dev, driver("bridge", log, d -> {
      Devm.addAction(d, "reset", () -> log.add("reset released"));
      throw new IllegalStateException("boom");
    })));
    assertThat(log).contains("reset released");
    assertThat(dev.isBound()).isFalse();
  }

  @Test
  void devmKzallocFreesEmbeddedObjectsAtUnbindAndUseAfterIsReported() {
    Bus bus = Bus.create("platform");
    Device dev = bus.addDevice("dsi.0");
    Priv[] priv = new Priv[1];
    bus.registerDriver(driver("dsi", new ArrayList<>(), d -> {
      priv[0] = Devm.kzalloc(d, Priv::new);
      return 0;
    }));
    assertThat(priv[0].touch("read lanes")).isTrue();
    bus.unbind(dev);
    assertThat(priv[0].isAlive()).isFalse();
    assertThat(priv[0].embedded.isAlive()).isFalse();
    priv[0].embedded.touch("read embedded");
    assertThat(Kernel.violations(ViolationKind.USE_AFTER_FREE).get(0).message())
        .contains("devm allocation of Priv released at unbind of platform:dsi.0");
  }

  @Test
  void addActionOrResetRunsTheActionWhenAddingFails() {
    Device dev = Device.registerVirtual("v");
    List<String> log = new ArrayList<>();
    Kernel.failNextAllocations(1);
    assertThat(Devm.addActionOrReset(dev, () -> log.add("ran"))).isEqualTo(-Errno.ENOMEM);
    assertThat(log).containsExactly("ran");
    Kernel.failNextAllocations(1);
    assertThat(Devm.addAction(dev, () -> log.add("not run"))).isEqualTo(-Errno.ENOMEM);
    assertThat(log).containsExactly("ran");
  }

  @Test
  void releaseActionRunsNowAndOnlyOnce() {
    Device dev = Device.registerVirtual("v");
    List<String> log = new ArrayList<>();
    DevresAction a = () -> log.add("a");
    Devm.addAction(dev, a);
    Devm.releaseAction(dev, a);
    assertThat(log).containsExactly("a");
    Devm.releaseAction(dev, a);
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void irqHandlerRunsInBoundContextUntilUnbind() {
    Bus bus = Bus.create("spi");
    Device dev = bus.addDevice("panel.0");
    List<String> log = new ArrayList<>();
    IrqRegistration[] irq = new IrqRegistration[1];
    MmioRegion[] regs = new MmioRegion[1];
    bus.registerDriver(driver("panel", log, d -> {
      regs[0] = Devm.ioremap(d, "regs", 16);
      irq[0] = Devm.requestIrq(d, 17, n -> {
        log.add("irq " + n + " in " + Kernel.currentContext() + " bound=" + Kernel.inBoundContextOf(d));
        regs[0].readl(0);
      });
      return 0;
    }));
    assertThat(irq[0].fire()).isTrue();
    assertThat(log).contains("irq 17 in irq 17 of spi:panel.0 bound=true");
    assertThat(Kernel.violations()).isEmpty();
    bus.unbind(dev);
    assertThat(irq[0].fire()).isFalse();
    assertThat(Kernel.has(ViolationKind.USE_AFTER_UNBIND)).isTrue();
  }

  @Test
  void deviceRefcountFinalPutAndDoublePut() {
    Device dev = Device.registerVirtual("v");
    dev.get();
    assertThat(dev.refcount()).isEqualTo(2);
    dev.put();
    assertThat(dev.isAlive()).isTrue();
    dev.put();
    assertThat(dev.isAlive()).isFalse();
    dev.put();
    assertThat(Kernel.has(ViolationKind.DOUBLE_FREE)).isTrue();
  }

  @Test
  void removeDeviceUnbindsDeletesAndDropsTheBusReference() {
    List<String> log = new ArrayList<>();
    Bus bus = Bus.create("usb");
    Device dev = bus.addDevice("gud.0");
    bus.registerDriver(driver("gud", log, d -> 0));
    bus.removeDevice(dev);
    assertThat(log).contains("remove in remove usb:gud.0");
    assertThat(dev.isDeleted()).isTrue();
    assertThat(dev.isAlive()).isFalse();
    assertThat(bus.devices()).isEmpty();
  }

  @Test
  void driverlessDeviceKeepsDevresUntilFinalPut() {
    Device dev = Device.registerVirtual("mock");
    List<String> log = new ArrayList<>();
    Devm.addAction(dev, () -> log.add("released"));
    dev.get();
    dev.unregister(); // device_del + put: one reference left
    assertThat(log).isEmpty();
    dev.put();
    assertThat(log).containsExactly("released");
  }

  @Test
  void devmDrmDevAllocOnDriverlessDeviceIsAReferenceLoopReportedAsLeak() {
    Device vdev = Device.registerVirtual("vkms");
    Drm drm = Devm.drmDevAlloc(vdev, DRM, Drm::new);
    vdev.unregister();
    assertThat(drm.isAlive()).isTrue();
    Kernel.checkLeaks();
    assertThat(Kernel.violations(ViolationKind.LEAK).get(0).message())
        .contains("reference loop: devres `devm_drm_dev_init_release` of virtual:vkms");
  }

  @Test
  void devresGroupBreaksTheLoop() {
    Device vdev = Device.registerVirtual("vgem");
    DevresGroup g = Devres.openGroup(vdev);
    Drm drm = Devm.drmDevAlloc(vdev, DRM, Drm::new);
    assertThat(Devres.releaseGroup(vdev, g)).isEqualTo(1);
    assertThat(drm.isAlive()).isFalse();
    vdev.unregister();
    assertThat(vdev.isAlive()).isFalse();
    Kernel.checkLeaks();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void devresGroupReleasesOnlyItsRangeLifo() {
    Device dev = Device.registerVirtual("v");
    List<String> log = new ArrayList<>();
    Devm.addAction(dev, "outer", () -> log.add("outer"));
    DevresGroup g = Devres.openGroup(dev);
    Devm.addAction(dev, "a", () -> log.add("a"));
    Devm.addAction(dev, "b", () -> log.add("b"));
    Devres.releaseGroup(dev, g);
    assertThat(log).containsExactly("b", "a").inOrder();
    assertThat(dev.devresNames()).containsExactly("outer");
    DevresGroup g2 = Devres.openGroup(dev);
    Devres.removeGroup(dev, g2);
    assertThat(dev.devresNames()).containsExactly("outer");
  }

  @Test
  void fauxDeviceDestroyUnbindsSoDevresRunsAndNothingLeaks() {
    Drm[] drm = new Drm[1];
    FauxDevice fdev = FauxDevice.create("vkms", d -> {
      drm[0] = Devm.drmDevAlloc(d, DRM, Drm::new);
      return 0;
    });
    assertThat(fdev.device().isBound()).isTrue();
    fdev.destroy();
    assertThat(drm[0].isAlive()).isFalse();
    assertThat(fdev.device().isAlive()).isFalse();
    Kernel.checkLeaks();
    assertThat(Kernel.violations()).isEmpty();
  }

  @Test
  void fauxDeviceWithFailingProbeIsNotCreated() {
    assertThat(FauxDevice.create("broken", d -> -Errno.ENOMEM)).isNull();
  }
}
