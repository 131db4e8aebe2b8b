package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Ends the section that an {@link Enter} call opened ({@code drm_dev_exit}). Its {@link Token} parameter must
 * be the token of that successful enter. Call it exactly once per successful enter, on every path.
 *
 * <pre>{@code
 * @Exit
 * public void exit(@Token SrcuIdx idx) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Exit {}
