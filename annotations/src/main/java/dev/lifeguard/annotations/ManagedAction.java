package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A callback type registered to run when a lifetime ends: {@link Lifetime#BINDING} for devres actions (run at
 * unbind, in bound context), {@link Lifetime#DRM} for drmm actions (run at the final drm put, after the
 * {@link ReleaseHook}, in user-reachable context); {@link Lifetime#MODULE} for a module's exit callback (run at
 * unload, before its text is freed). Actions run in reverse order of registration.
 *
 * <p>Lambdas of such a type run later: they never inherit the caller's section.
 *
 * <pre>{@code
 * @ManagedAction(Lifetime.BINDING)
 * @BoundContext
 * public interface DevresAction { void release(); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ManagedAction {
  /** The lifetime whose end runs the action. */
  Lifetime value();
}
