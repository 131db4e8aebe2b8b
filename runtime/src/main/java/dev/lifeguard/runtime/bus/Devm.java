package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.annotations.Counterpart;
import dev.lifeguard.annotations.Lifetime;
import dev.lifeguard.annotations.OwnedBy;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.drm.DrmDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code devm_*} API: resources tied to the bus binding of a device, released LIFO when it ends (unbind,
 * probe failure, or the final put of a driverless device).
 *
 * <pre>{@code
 * public int probe(Device dev) {
 *   MmioRegion regs = Devm.ioremap(dev, "regs", 0x1000);
 *   Devm.requestIrq(dev, 17, irq -> regs.readl(STATUS));
 *   Panel panel = Devm.drmDevAlloc(dev, driver, Panel::new);
 *   return panel.register();
 * }
 * }</pre>
 */
public final class Devm {
  private Devm() {}

  /**
   * {@code devm_kzalloc}: allocates driver memory freed when the binding ends. Every {@link KObject} constructed
   * while {@code ctor} runs (the struct itself and objects embedded in it, e.g. KMS objects) is freed with it, so
   * a later use is a use-after-free the runtime sees. Returns null on an injected allocation failure.
   */
  @BindingScoped
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#kzalloc")
  public static <T> T kzalloc(Device dev, Supplier<T> ctor) {
    if (Kernel.shouldFailAllocation()) {
      return null;
    }
    List<KObject> embedded = new ArrayList<>();
    T mem = Kernel.collectEmbedded(ctor, embedded);
    String type = mem == null ? "null" : mem.getClass().getSimpleName();
    for (KObject o : embedded) {
      o.setBindingOwner(dev);
    }
    dev.addNode(new Device.Node("devm_kzalloc " + type, () -> {
      for (int i = embedded.size() - 1; i >= 0; i--) {
        KObject o = embedded.get(i);
        if (o.isAlive()) {
          o.free("devm allocation of " + type + " released at " + dev.releaseReason());
        }
      }
    }, mem, null));
    return mem;
  }

  /**
   * {@code devm_add_action}: runs {@code action} when the binding ends. Returns 0, or {@code -ENOMEM} (injected)
   * without running it ({@code __must_check}).
   */
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#addAction")
  public static int addAction(Device dev, DevresAction action) {
    return addAction(dev, "action", action);
  }

  /** {@link #addAction(Device, DevresAction)} with a name for reports and contexts. */
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#addAction")
  public static int addAction(Device dev, String name, DevresAction action) {
    if (Kernel.shouldFailAllocation()) {
      return -Errno.ENOMEM;
    }
    dev.addNode(new Device.Node(name, action::release, action, null));
    return 0;
  }

  /** {@code devm_add_action_or_reset}: like {@link #addAction} but runs the action at once when adding fails. */
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#addActionOrReset")
  public static int addActionOrReset(Device dev, DevresAction action) {
    return addActionOrReset(dev, "action", action);
  }

  /** {@link #addActionOrReset(Device, DevresAction)} with a name. */
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#addActionOrReset")
  public static int addActionOrReset(Device dev, String name, DevresAction action) {
    int ret = addAction(dev, name, action);
    if (ret != 0) {
      Kernel.inBoundContext(dev, "devres " + name + " of " + dev.name(), () -> {
        action.release();
        return null;
      });
    }
    return ret;
  }

  /**
   * {@code devm_release_action}: runs the newest registration of {@code action} now and removes it. A missing
   * registration (WARN in the kernel) is reported as {@link ViolationKind#DOUBLE_FREE}.
   */
  @Counterpart("dev.lifeguard.runtime.drm.Drmm#releaseAction")
  public static void releaseAction(Device dev, DevresAction action) {
    Device.Node n = dev.removeNewest(action);
    if (n == null) {
      Kernel.report(ViolationKind.DOUBLE_FREE, "devm_release_action on " + dev.name()
          + " for an action that is not registered (already released?)");
      return;
    }
    Kernel.inBoundContext(dev, "devres " + n.name + " of " + dev.name(), () -> {
      n.release.run();
      return null;
    });
  }

  /** {@code devm_ioremap}: maps {@code size} bytes of registers until the binding ends. */
  @BindingScoped
  public static MmioRegion ioremap(Device dev, String name, int size) {
    MmioRegion r = Kernel.collectEmbedded(() -> new MmioRegion(name, dev, size), new ArrayList<>());
    dev.addNode(new Device.Node("devm_ioremap " + name, () -> r.release(dev.releaseReason()), r, null));
    return r;
  }

  /** {@code devm_request_irq}: the handler runs in bound context until unbind ({@code free_irq}). */
  @BindingScoped
  public static IrqRegistration requestIrq(Device dev, int irq, IrqHandler handler) {
    IrqRegistration r = Kernel.collectEmbedded(() -> new IrqRegistration(dev, irq, handler), new ArrayList<>());
    dev.addNode(new Device.Node("devm_request_irq " + irq, () -> r.release(dev.releaseReason()), r, null));
    return r;
  }

  /** {@code devm_clk_get}: a clock handle until the binding ends. */
  @BindingScoped
  public static Clock clkGet(Device dev, String id) {
    Clock c = Kernel.collectEmbedded(() -> new Clock(dev, id), new ArrayList<>());
    dev.addNode(new Device.Node("devm_clk_get " + id, () -> c.release(dev.releaseReason()), c, null));
    return c;
  }

  /**
   * {@code devm_drm_dev_alloc}: allocates the driver's container (a {@link DrmDevice} subclass), initialises it
   * on {@code parent}, registers {@code devm_drm_dev_init_release} (drops the initial reference at unbind) and
   * makes drmm free the container last. Never put the initial reference and never free the container yourself.
   *
   * <pre>{@code
   * Panel panel = Devm.drmDevAlloc(dev, driver, Panel::new);   // class Panel extends DrmDevice
   * }</pre>
   */
  @OwnedBy(Lifetime.BINDING)
  public static <T extends DrmDevice> T drmDevAlloc(Device parent, DrmDriver drv,
      Function<DrmDevice.Init, T> ctor) {
    T drm = DrmDevice.alloc(parent, drv, ctor);
    if (drm == null) {
      return null;
    }
    Device.Node n = new Device.Node("devm_drm_dev_init_release", drm::put, drm, drm);
    if (Kernel.shouldFailAllocation()) {
      drm.put(); // _or_reset
      return null;
    }
    parent.addNode(n);
    return drm;
  }
}
