package dev.lifeguard.runtime.module;

/**
 * A {@code module_init} function: registers the module's drivers. Returns 0 or a negative errno.
 *
 * <pre>{@code
 * KernelModule m = KernelModule.load("panel", () -> { spi.registerDriver(driver); return 0; }, () -> spi.unregisterDriver(driver));
 * }</pre>
 */
@FunctionalInterface
public interface ModuleInit {
  /** Runs at load. */
  int init();
}
