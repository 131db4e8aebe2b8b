package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.module.KernelModule;

/**
 * An IRQ requested with {@code devm_request_irq}; {@code free_irq} runs at unbind. {@link #fire()} simulates the
 * interrupt: the handler runs in bound context ({@code "irq N of dev"}); firing after unbind is {@link
 * ViolationKind#USE_AFTER_UNBIND} and the handler does not run.
 *
 * <pre>{@code
 * IrqRegistration irq = Devm.requestIrq(dev, 17, n -> regs.readl(STATUS));
 * irq.fire();
 * }</pre>
 */
@BindingScoped
public final class IrqRegistration extends BindingResource {
  private final int irq;
  private final IrqHandler handler;

  IrqRegistration(Device device, int irq, IrqHandler handler) {
    super("irq " + irq, device);
    this.irq = irq;
    this.handler = handler;
  }

  /** The IRQ number. */
  public int irq() {
    return irq;
  }

  /** Raises the interrupt. Returns true when the handler ran. */
  public boolean fire() {
    if (isReleased()) {
      Kernel.report(ViolationKind.USE_AFTER_UNBIND, "IRQ " + irq + " fired for `" + name() + "` after free_irq ("
          + freedBy() + "); its handler is gone");
      return false;
    }
    BusDriver drv = device().driver();
    KernelModule owner = drv == null ? null : drv.owner();
    if (owner != null) {
      owner.checkCode("irq " + irq + " handler of " + device().name());
    }
    Kernel.inBoundContext(device(), "irq " + irq + " of " + device().name(), () -> {
      handler.handle(irq);
      return null;
    });
    return true;
  }
}
