package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BoundContext;

/**
 * The probe callback of a faux device ({@code struct faux_device_ops.probe}); runs in bound context.
 *
 * <pre>{@code
 * FauxDevice fdev = FauxDevice.create("vkms", dev -> { Devm.drmDevAlloc(dev, drv, Vkms::new); return 0; });
 * }</pre>
 */
@BoundContext
@FunctionalInterface
public interface FauxProbe {
  /** Returns 0 or a negative errno. */
  int probe(Device dev);
}
