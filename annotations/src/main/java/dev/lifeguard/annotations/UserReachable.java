package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The code may run after unbind while the drm device lives: ioctls, file operations, KMS callbacks, debugfs,
 * drmm actions, the release hook, GEM free, dma-buf ops, and workers or timers that outlive unbind.
 *
 * <p>It may use {@link BindingScoped} values only inside a successful {@link Enter} section. Placement works as
 * for {@link BoundContext}: on a type it covers every implementing method and every lambda of that type.
 *
 * <pre>{@code
 * @UserReachable("ioctls run for as long as userspace holds an fd, also after unbind")
 * public interface DrmIoctl {
 *   int handle(DrmFile file, long arg);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface UserReachable {
  /** Why this code can run after unbind; quoted in findings. */
  String value() default "";
}
