package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A functional parameter that the method keeps and runs later (a worker, a timer, a managed action). A lambda
 * passed here does <em>not</em> inherit the caller's sections; it gets the context its functional interface
 * declares, or the caller's context if it declares none.
 *
 * <pre>{@code
 * public void queueWork(@RunsLater Work fn) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface RunsLater {}
