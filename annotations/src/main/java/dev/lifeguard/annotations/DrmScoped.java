package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value lives until the final put of the drm device ({@code drmm_*} in the kernel), which can be minutes
 * after unbind while userspace still holds an fd.
 *
 * <ul>
 *   <li>On a <b>type</b>: a drm-lifetime object (the drm device itself, KMS objects, GEM objects). Such objects
 *       must never live in binding-scoped memory.
 *   <li>On a <b>method</b>: the returned value is drm-managed memory ({@code Drmm.kzalloc}).
 *   <li>On a <b>field</b>: documents that the field holds drm-managed state.
 * </ul>
 *
 * <pre>{@code
 * @DrmScoped
 * public class DrmEncoder { ... }
 *
 * PanelState st = Drmm.kzalloc(drm, PanelState::new);   // freed at the final drm put
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface DrmScoped {}
