package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method waits for every section in flight ({@code drm_dev_unplug}: SRCU synchronize). Calling it from
 * inside a section deadlocks.
 *
 * <pre>{@code
 * @Unplugs public void unplug() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Unplugs {}
