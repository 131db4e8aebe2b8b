/**
 * The Lifeguard vocabulary: annotations that state how long a value lives, in which context code runs, which
 * calls open and close a device section, and how teardown and references are ordered.
 *
 * <p>Two lifetimes matter, as in the Linux DRM subsystem:
 *
 * <ul>
 *   <li>{@link dev.lifeguard.annotations.BindingScoped}: ends when the bus binding ends (unbind, remove, unplug).
 *       devres memory and hardware resources live this long.
 *   <li>{@link dev.lifeguard.annotations.DrmScoped}: ends at the final put of the drm device. Everything
 *       userspace can reach must live this long.
 * </ul>
 *
 * <p>Code runs either in a {@link dev.lifeguard.annotations.BoundContext} (probe, remove, devres actions) or in a
 * {@link dev.lifeguard.annotations.UserReachable} context (ioctls, KMS callbacks, drmm actions, the release
 * hook), which may run after unbind and may touch binding-scoped values only inside a section opened by an
 * {@link dev.lifeguard.annotations.Enter} call.
 *
 * <p>Annotate the boundaries (your fields that hold devres memory, your helpers that run in a known context);
 * the checker infers the rest inside methods.
 */
package dev.lifeguard.annotations;
