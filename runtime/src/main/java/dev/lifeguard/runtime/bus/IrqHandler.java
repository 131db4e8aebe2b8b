package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BoundContext;

/**
 * An interrupt handler ({@code irq_handler_t}) registered with {@code devm_request_irq}: it runs in the bound
 * context of the device until unbind frees the IRQ.
 *
 * <pre>{@code
 * Devm.requestIrq(dev, 17, irq -> regs.writel(IRQ_ACK, 1));
 * }</pre>
 */
@BoundContext
@FunctionalInterface
public interface IrqHandler {
  /** Handles interrupt {@code irq}. */
  void handle(int irq);
}
