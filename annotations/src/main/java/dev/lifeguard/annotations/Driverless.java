package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method registers a device by hand and returns it with no driver bound ({@code platform_device_register_simple}
 * used as a virtual device). devres on it runs only at its final put, which a drm device on it prevents (it holds
 * its parent): a reference loop and a leak, unless a {@link OpensGroup devres group} is opened and released
 * explicitly, or a faux device (whose driver is bound) is used instead (study cases E1, E2).
 *
 * <pre>{@code
 * @Driverless public static Device registerVirtual(String name) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Driverless {}
