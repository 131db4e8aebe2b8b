package dev.lifeguard.runtime.core;

/**
 * What a thread's held section belongs to (an SRCU domain such as a drm device's unplug domain). The kernel core
 * uses it to end sections a callback leaked, after reporting them.
 *
 * <pre>{@code
 * Kernel.pushSection(drm, idx);   // in drm_dev_enter
 * Kernel.repairSections(depth);   // after "ioctl returned with a section still held"
 * }</pre>
 */
public interface SectionOwner {
  /** Ends the section with {@code token} without further checks (the leak was already reported). */
  void forceExit(Object token);
}
