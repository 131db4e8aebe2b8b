/**
 * The simulated kernel's core: the global {@link dev.lifeguard.runtime.core.Kernel} state, violations and the
 * {@link dev.lifeguard.runtime.core.KObject} base that models KASAN use-after-free detection.
 */
package dev.lifeguard.runtime.core;
