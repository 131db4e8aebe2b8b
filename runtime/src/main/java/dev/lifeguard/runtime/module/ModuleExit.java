package dev.lifeguard.runtime.module;

import dev.lifeguard.annotations.Lifetime;
import dev.lifeguard.annotations.ManagedAction;

/**
 * A {@code module_exit} function: unregisters the module's drivers (that unbinds their devices). A correct exit of
 * a module whose drm devices may outlive unbind also waits for its {@link DeviceCount} and calls
 * {@code DrmDevice.releaseBarrier()} (seed 002).
 *
 * <pre>{@code
 * ModuleExit exit = () -> { bus.unregisterDriver(drv); count.awaitZero(); DrmDevice.releaseBarrier(); };
 * }</pre>
 */
@FunctionalInterface
@ManagedAction(Lifetime.MODULE)
public interface ModuleExit {
  /** Runs at unload. */
  void exit();
}
