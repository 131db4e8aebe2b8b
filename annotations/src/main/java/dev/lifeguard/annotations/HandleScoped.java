package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A pointer that is valid only while userspace holds a handle to the object, not for the object's whole
 * lifetime ({@code drm_gem_object.dma_buf}: set to null when the last handle closes). Code that holds the
 * object, not a handle, must not use it.
 *
 * <pre>{@code
 * @HandleScoped public DmaBuf dmaBuf() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface HandleScoped {}
