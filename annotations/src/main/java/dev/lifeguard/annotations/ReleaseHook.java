package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The drm driver's release hook: it runs at the final put of the drm device, after unbind, and
 * <em>before</em> the drm-managed actions and GEM core teardown. It is {@link UserReachable}.
 *
 * <p>So it must not free the container, nor state that later managed actions or GEM teardown still use, and it
 * must not touch hardware.
 *
 * <pre>{@code
 * public interface DrmDriver {
 *   @ReleaseHook
 *   default void release(DrmDevice drm) {}
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ReleaseHook {}
