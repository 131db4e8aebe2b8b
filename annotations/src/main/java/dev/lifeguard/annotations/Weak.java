package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field that holds a reference without counting it (a cache, a back-pointer). It does not keep the target
 * alive and so does not close a reference loop. The PRIME import/export caches hold weak references.
 *
 * <pre>{@code
 * @Weak private GemObject lastImported;   // cache only; the handle table holds the counted reference
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Weak {}
