package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call frees or drops a reference to a value: on a <b>parameter</b> the argument, on a <b>method</b> the
 * receiver ({@code kfree}, {@code drm_dev_put}, {@code drmm_kfree}). Used for release ordering: what the release
 * hook may free, and what devres already owns.
 *
 * <pre>{@code
 * @Frees public void put() { ... }
 * public static void kfree(DrmDevice drm, @Frees Object mem) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.PARAMETER})
public @interface Frees {}
