package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call programs the hardware through the driver's own paths ({@code drm_atomic_helper_shutdown} runs every
 * crtc's disable). It belongs where the device is still bound: in {@code remove()} or a devres action, never in
 * the {@link ReleaseHook} or a drm-managed action, which run after unbind, where the driver's guarded paths
 * silently skip the work and the display stays on.
 *
 * <pre>{@code
 * @TouchesHardware
 * public static void shutdown(DrmDevice drm) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface TouchesHardware {}
