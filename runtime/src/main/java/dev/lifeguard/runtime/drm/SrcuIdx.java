package dev.lifeguard.runtime.drm;

/**
 * The token of a {@code drm_dev_enter} section (the {@code int idx} of {@code srcu_read_lock}). Use a fresh one per
 * enter and pass the same one to {@code exit}.
 *
 * <pre>{@code
 * SrcuIdx idx = new SrcuIdx();
 * if (drm.enter(idx)) { try { ... } finally { drm.exit(idx); } }
 * }</pre>
 */
public final class SrcuIdx {
  // Confined to the thread that entered (a section never migrates), so plain fields suffice.
  private int value = -1;
  DrmDevice owner;
  Thread thread;
  boolean active;

  /** A token not yet filled by an enter. */
  public SrcuIdx() {}

  /** The index value {@code srcu_read_lock} returned, -1 before the first enter. */
  public int value() {
    return value;
  }

  void assign(int v) {
    value = v;
  }

  @Override
  public String toString() {
    return "idx " + value;
  }
}
