package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The call takes a reference on a module that keeps its code loaded until the matching put
 * ({@code try_module_get}, {@code __module_get}). A component that holds another module's drm device must hold
 * one (study case F1, drm_pagemap).
 *
 * <pre>{@code
 * @PinsModule public boolean tryGet() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PinsModule {}
