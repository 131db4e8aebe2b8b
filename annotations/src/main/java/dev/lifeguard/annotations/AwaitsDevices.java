package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call waits until every drm device a module created is released (a driver's device count reaching zero).
 * A module exit needs it, and then a {@link ReleaseBarrier}, before it returns (seed 002).
 *
 * <pre>{@code
 * @AwaitsDevices public synchronized void awaitZero() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AwaitsDevices {}
