package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The destroy hook of a KMS object's function table ({@code drm_plane_funcs.destroy}). It must stay unset
 * (not overridden) on objects created by a drm-managed alloc, which registers the cleanup itself.
 *
 * <pre>{@code
 * public interface DrmPlaneFuncs {
 *   @DestroyHook default void destroy(DrmPlane plane) {}
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DestroyHook {}
