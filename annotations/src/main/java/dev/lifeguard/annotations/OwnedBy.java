package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a method: the returned object's initial reference (or its memory) belongs to the named lifetime's
 * managed teardown, which drops it. The caller must not {@link Frees free or put} it
 * ({@code devm_drm_dev_alloc}: devres puts the drm device at unbind, drmm frees the container last).
 *
 * <pre>{@code
 * @OwnedBy(Lifetime.BINDING)
 * public static <T extends DrmDevice> T devmDrmDevAlloc(Device parent, ...) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OwnedBy {
  /** The lifetime whose managed teardown releases the value. */
  Lifetime value();
}
