package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the same operation with the other lifetime, so the checker can suggest the switch: on
 * {@code Devm.kzalloc} it names {@code Drmm.kzalloc}, and on {@code Drmm.addAction} it names
 * {@code Devm.addAction}. The value is {@code "<binary class name>#<method>"}; the counterpart takes the same
 * arguments except the first, which is the object whose lifetime it follows.
 *
 * <pre>{@code
 * @BindingScoped
 * @Counterpart("dev.lifeguard.runtime.drm.Drmm#kzalloc")
 * public static <T> T kzalloc(Device dev, Supplier<T> ctor) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Counterpart {
  /** {@code "<binary class name>#<method>"} of the counterpart. */
  String value();
}
