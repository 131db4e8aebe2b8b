package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call registers a managed cleanup for the named resource, so an explicit {@link CleansUp} of the same
 * resource is a double cleanup ({@code drmm_mode_config_init} registers {@code drm_mode_config_cleanup}). On the
 * drm-managed KMS allocs and inits ({@code drmm_universal_plane_alloc}, {@code drmm_crtc_init_with_planes}...) it
 * names the object kind: a funcs object passed to them must not override its {@link DestroyHook}.
 *
 * <pre>{@code
 * @RegistersCleanup("mode-config")
 * public static int modeConfigInit(DrmDevice drm) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface RegistersCleanup {
  /** The resource's name, matched against {@link CleansUp#value()}. */
  String value();
}
