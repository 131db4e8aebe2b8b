package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter of an {@link Enter} or {@link Exit} method that carries the section token (the kernel's
 * {@code int idx}). The checker matches exits to enters by the variable passed here.
 *
 * <pre>{@code
 * @Enter public boolean enter(@Token SrcuIdx idx) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Token {}
