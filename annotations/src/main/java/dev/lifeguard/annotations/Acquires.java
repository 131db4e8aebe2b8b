package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method returns a new counted reference that the caller owns and must put ({@code drm_dev_get}). Storing it
 * in a field of another component keeps the target alive, and with it the code of the module that made it: that
 * component must also hold a {@link PinsModule module reference}.
 *
 * <pre>{@code
 * @Acquires public DrmDevice get() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Acquires {}
