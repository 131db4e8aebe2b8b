package dev.lifeguard.runtime.core;

/**
 * One kind per dynamic detector of the runtime. Each {@link Violation} carries one.
 *
 * <pre>{@code
 * assertThat(Kernel.has(ViolationKind.UNGUARDED_HW_ACCESS)).isTrue();
 * }</pre>
 */
public enum ViolationKind {
  /** A binding-scoped (devres) resource used after the binding ended (unbind, probe failure, device put). */
  USE_AFTER_UNBIND,
  /** Hardware or devres memory touched after {@code drm_dev_unplug} outside a {@code drm_dev_enter} section. */
  UNGUARDED_HW_ACCESS,
  /** Managed memory (devm or drmm) or the drm container used after it was freed. */
  USE_AFTER_FREE,
  /** A second free, a second cleanup of a KMS object or mode config, a put past zero. */
  DOUBLE_FREE,
  /** Wrong token, exit without enter, a section leaked past its callback, unplug inside a section. */
  UNBALANCED_SECTION,
  /** Something alive at scenario end that nothing can free any more: devices, drm devices, GEM, dma-bufs, loops. */
  LEAK,
  /** A driver callback ran after its module was unloaded: execution out of freed module text. */
  MODULE_CODE_AFTER_UNLOAD,
  /** GEM core teardown ({@code drm_gem_init_release}) ran while GEM objects of the device were still alive. */
  GEM_TEARDOWN_LIVE
}
