package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On the boolean query of a scoped section (see {@link Enter}): true when the section was entered. Code that
 * uses binding-scoped values must sit on the true branch.
 *
 * <pre>{@code
 * public final class DrmSection implements AutoCloseable {
 *   @Entered public boolean entered() { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Entered {}
