package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call waits until every drm device release that has started (release hook and drm-managed actions) has
 * finished ({@code drm_dev_release_barrier}, seed 002): after the device count reached zero, the caller that
 * dropped it may still be running the module's release callbacks.
 *
 * <pre>{@code
 * @ReleaseBarrier public static void releaseBarrier() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ReleaseBarrier {}
