package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A reference-counted type, or a field that holds a counted reference. A counted reference keeps its target
 * alive; counted references must flow one way (importer GEM object, then dma-buf, then exporter GEM object,
 * then the exporter's drm device and module) and must not form loops.
 *
 * <pre>{@code
 * @Counted public final class DmaBuf { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.FIELD})
public @interface Counted {}
