package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A functional parameter that the method runs before it returns, on the caller's thread. A lambda passed here
 * inherits the caller's context and open sections. On an {@link Enter}-like helper, combine it with
 * {@link InSection} to say the callback runs inside a section.
 *
 * <pre>{@code
 * public static void forEachPlane(DrmDevice drm, @RunsNow Consumer<DrmPlane> fn) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface RunsNow {}
