package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call opens a devres group on the device passed as its first argument ({@code devres_open_group}); the
 * resources registered after it are released with the group, explicitly, even when no driver is bound.
 *
 * <pre>{@code
 * @OpensGroup public static DevresGroup openGroup(Device dev) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OpensGroup {}
