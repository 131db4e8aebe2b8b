/** Loadable modules: refcounts, unload, device counts, and the module-text-after-unload detector. */
package dev.lifeguard.runtime.module;
