package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BoundContext;
import dev.lifeguard.runtime.module.KernelModule;

/**
 * A bus driver ({@code struct device_driver} with its {@code .probe}/{@code .remove}). Its callbacks run in the
 * bound context of the device: they may touch binding-scoped resources directly.
 *
 * <pre>{@code
 * final class PanelDriver implements BusDriver {
 *   public String name() { return "panel"; }
 *   public KernelModule owner() { return module; }
 *   public int probe(Device dev) { regs = Devm.ioremap(dev, "regs", 0x100); return 0; }
 *   public void remove(Device dev) { drm.unplug(); }
 * }
 * }</pre>
 */
@BoundContext
public interface BusDriver {
  /** The driver name; by default it matches devices named {@code "<bus>:<name>..."}. */
  String name();

  /** The module whose code this driver is ({@code .owner = THIS_MODULE}); null for built-in code. */
  KernelModule owner();

  /** {@code .probe}: returns 0 on success or a negative errno; a failure releases the devres added so far. */
  int probe(Device dev);

  /** {@code .remove}: runs at unbind, before devres is released. */
  void remove(Device dev);

  /** {@code bus->match}: by default the device name after the bus prefix starts with {@link #name()}. */
  default boolean match(Device dev) {
    String n = dev.name();
    int colon = n.indexOf(':');
    return n.substring(colon + 1).startsWith(name());
  }
}
