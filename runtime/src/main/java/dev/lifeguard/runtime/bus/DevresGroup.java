package dev.lifeguard.runtime.bus;

/**
 * A devres group id ({@code devres_open_group}): a marker in the devres list; releasing the group releases what
 * was added after it, LIFO.
 *
 * <pre>{@code
 * DevresGroup g = Devres.openGroup(dev);
 * Devm.kzalloc(dev, Priv::new);
 * Devres.releaseGroup(dev, g);
 * }</pre>
 */
public final class DevresGroup {
  private final String name;

  DevresGroup(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return "DevresGroup(" + name + ")";
  }
}
