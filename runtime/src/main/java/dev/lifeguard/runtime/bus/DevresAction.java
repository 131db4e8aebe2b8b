package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BoundContext;
import dev.lifeguard.annotations.Lifetime;
import dev.lifeguard.annotations.ManagedAction;

/**
 * A devres action ({@code devm_add_action}): runs when the binding ends, in bound context, so it may tear down
 * hardware.
 *
 * <pre>{@code
 * Devm.addActionOrReset(dev, () -> clk.disable());
 * }</pre>
 */
@ManagedAction(Lifetime.BINDING)
@BoundContext
@FunctionalInterface
public interface DevresAction {
  /** The action. */
  void release();
}
