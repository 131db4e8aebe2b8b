package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An explicit cleanup of the named resource ({@code drm_mode_config_cleanup}). Wrong when a
 * {@link RegistersCleanup managed init} already cleans the same resource up.
 *
 * <pre>{@code
 * @CleansUp("mode-config")
 * public static void modeConfigCleanup(DrmDevice drm) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CleansUp {
  /** The resource's name. */
  String value();
}
