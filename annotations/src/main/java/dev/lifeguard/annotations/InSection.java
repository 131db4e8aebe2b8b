package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link RunsNow} functional parameter that the method runs only inside a successful section, the closure
 * form of a guard ({@code try_access_with} in Rust). The callback may use binding-scoped values freely.
 *
 * <pre>{@code
 * public boolean guarded(@RunsNow @InSection Runnable fn) { ... }   // false: unplugged, fn not run
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface InSection {}
