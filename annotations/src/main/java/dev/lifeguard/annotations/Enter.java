package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a device section ({@code drm_dev_enter}): a conditional acquire that fails once the device is
 * unplugged. Inside a successful section, unplug waits, so binding-scoped values stay valid.
 *
 * <p>Two forms:
 *
 * <ul>
 *   <li><b>Explicit</b>: the method returns {@code boolean} (true when entered) and takes a {@link Token}
 *       parameter that receives the section's token; an {@link Exit} call with that token ends it.
 *   <li><b>Scoped</b>: the method returns an {@link AutoCloseable} section; use it in try-with-resources and
 *       test its {@link Entered} method before touching hardware.
 * </ul>
 *
 * <pre>{@code
 * SrcuIdx idx = new SrcuIdx();
 * if (!drm.enter(idx)) return -ENODEV;
 * try { regs.writel(REG, v); } finally { drm.exit(idx); }
 *
 * try (DrmSection s = drm.enterScoped()) {
 *   if (!s.entered()) return -ENODEV;
 *   regs.writel(REG, v);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Enter {}
