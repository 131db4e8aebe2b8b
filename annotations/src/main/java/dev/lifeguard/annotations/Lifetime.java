package dev.lifeguard.annotations;

/**
 * The lifetimes the vocabulary names, in the order they end on a hot unplug.
 *
 * <pre>{@code
 * @ManagedAction(Lifetime.DRM)
 * public interface DrmmAction { void release(DrmDevice drm); }
 * }</pre>
 */
public enum Lifetime {
  /** Ends when the bus binding ends: devres. */
  BINDING,
  /** Ends at the final put of the drm device: drmm. */
  DRM,
  /** Ends when the module that holds the code unloads. */
  MODULE
}
