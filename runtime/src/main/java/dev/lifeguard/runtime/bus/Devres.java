package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.OpensGroup;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;

/**
 * Devres groups ({@code devres_open_group}, {@code devres_release_group}, {@code devres_remove_group}): nested
 * ranges of the devres list. The i915 mock devices and the old vkms/vgem used them to release devres of devices
 * no driver is bound to, breaking the loop of seed 003.
 *
 * <pre>{@code
 * DevresGroup g = Devres.openGroup(vdev);
 * Vkms vkms = Devm.drmDevAlloc(vdev, driver, Vkms::new);
 * Devres.releaseGroup(vdev, g);   // puts the drm device now: no loop
 * }</pre>
 */
public final class Devres {
  private static int groups;

  private Devres() {}

  /** {@code devres_open_group}: opens a group on {@code dev}. */
  @OpensGroup
  public static synchronized DevresGroup openGroup(Device dev) {
    DevresGroup g = new DevresGroup(dev.name() + "#" + (++groups));
    dev.addNode(new Device.Node("group", null, g, null));
    return g;
  }

  /** {@code devres_release_group}: releases the entries added after the group's marker, LIFO; returns how many. */
  public static int releaseGroup(Device dev, DevresGroup group) {
    if (!dev.hasMarker(group)) {
      Kernel.report(ViolationKind.DOUBLE_FREE, "devres_release_group of " + group + " that " + dev.name()
          + " does not hold (already released?)");
      return 0;
    }
    return dev.releaseDevres("release of devres group of " + dev.name(), group);
  }

  /** {@code devres_remove_group}: removes the group marker; its resources stay with the device. */
  public static void removeGroup(Device dev, DevresGroup group) {
    if (!dev.removeMarker(group)) {
      Kernel.report(ViolationKind.DOUBLE_FREE, "devres_remove_group of " + group + " that " + dev.name()
          + " does not hold");
    }
  }
}
