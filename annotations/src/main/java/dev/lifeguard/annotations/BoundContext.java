package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The code runs only while the device is bound: probe, remove, devres actions, IRQ handlers that devres
 * registered. It may use {@link BindingScoped} values directly.
 *
 * <p>On an interface or class, every method that implements or overrides one of its methods runs in bound
 * context, and so does a lambda whose target type is that interface. On a method, it states the context of
 * that method and of its overrides.
 *
 * <pre>{@code
 * @BoundContext
 * public interface BusDriver {
 *   int probe(Device dev);
 *   void remove(Device dev);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BoundContext {}
