package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;

/**
 * Base of the hardware resources devres hands out ({@link MmioRegion}, {@link IrqRegistration}, {@link Clock}).
 * Every access checks liveness: after the binding ended it is {@link ViolationKind#USE_AFTER_UNBIND}; after unplug
 * of a drm device on the same bus device, outside a section and outside bound context, it is {@link
 * ViolationKind#UNGUARDED_HW_ACCESS}. The access still happens afterwards (the report does not stop the code).
 *
 * <pre>{@code
 * MmioRegion regs = Devm.ioremap(dev, "regs", 0x1000);
 * regs.writel(0x10, 1);   // checked
 * }</pre>
 */
@BindingScoped
public abstract class BindingResource extends KObject {
  private final Device device;
  private volatile String releasedAt;

  BindingResource(String name, Device device) {
    super(name);
    this.device = device;
  }

  /** The bus device whose binding owns this resource. */
  public Device device() {
    return device;
  }

  /** Whether devres released it. */
  public boolean isReleased() {
    return releasedAt != null;
  }

  void release(String reason) {
    releasedAt = reason;
    free("released at " + reason);
  }

  /**
   * Checks an access such as {@code "MMIO write"}; returns true when valid.
   */
  protected boolean checkAccess(String access) {
    String at = releasedAt;
    if (at != null) {
      StringBuilder msg = new StringBuilder()
          .append(access).append(" to `").append(name()).append("` (devm, released at ").append(at)
          .append(") from ").append(Kernel.currentContext());
      if (device.anyDrmUnplugged()) {
        msg.append(" after unplug");
      }
      if (!device.sectionHeld()) {
        msg.append("; no enter section held");
      }
      Kernel.report(ViolationKind.USE_AFTER_UNBIND, msg.toString());
      return false;
    }
    return device.checkGuarded(access + " to `" + name() + "`", "devm, mapped on " + device.name());
  }
}
