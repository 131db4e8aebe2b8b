package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.ReleaseHook;
import dev.lifeguard.runtime.gem.GemObjectFuncs;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.Map;

/**
 * The drm driver ops table ({@code struct drm_driver}): name, owning module ({@code fops.owner}), ioctls, the
 * release hook and the GEM object functions.
 *
 * <pre>{@code
 * DrmDriver driver = new DrmDriver() {
 *   public String name() { return "panel"; }
 *   public KernelModule owner() { return module; }
 *   public Map<String, DrmIoctl> ioctls() { return Map.of("SET_PLANE", this::setPlane); }
 * };
 * }</pre>
 */
public interface DrmDriver {
  /** {@code .name}. */
  String name();

  /** The module holding the driver's code; open files and exported dma-bufs pin it. Null for built-in code. */
  KernelModule owner();

  /** The driver's ioctls by name ({@code .ioctls}); dispatched by {@link DrmFile#ioctl(String, long)}. */
  default Map<String, DrmIoctl> ioctls() {
    return Map.of();
  }

  /**
   * {@code .release}: runs at the final drm put, before every drmm action and before GEM core teardown; must not
   * free the container or what later actions use, and must not touch hardware.
   */
  @ReleaseHook
  default void release(DrmDevice drm) {}

  /** The default GEM object functions ({@code drm_gem_object_funcs}) for objects of this driver. */
  default GemObjectFuncs gemFuncs() {
    return new GemObjectFuncs() {};
  }
}
