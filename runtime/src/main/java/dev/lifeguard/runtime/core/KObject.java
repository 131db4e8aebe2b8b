package dev.lifeguard.runtime.core;

import dev.lifeguard.annotations.Frees;
import dev.lifeguard.runtime.bus.Device;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Base of every runtime object that can be freed. It models KASAN instrumentation: {@link #touch(String)} on a
 * freed object reports {@link ViolationKind#USE_AFTER_FREE} naming what freed it, and a second {@link
 * #free(String)} reports {@link ViolationKind#DOUBLE_FREE}. Drivers may extend it for their own private structs
 * and call {@code touch} in their accessors, so a devm-allocated struct used after unbind is seen.
 *
 * <p>An object allocated with {@code Devm.kzalloc} (or embedded in such an allocation) is binding-scoped: touching
 * it from user-reachable code after unplug without a section is also reported, as
 * {@link ViolationKind#UNGUARDED_HW_ACCESS}, because its memory goes away at unbind.
 *
 * <pre>{@code
 * final class VcDsi extends KObject {
 *   int lanes;
 *   VcDsi() { super("VcDsi"); }
 *   int lanes() { touch("read lanes"); return lanes; }
 * }
 * }</pre>
 */
public class KObject {
  private static final AtomicLong serials = new AtomicLong();

  private final String name;
  private final long serial = serials.incrementAndGet();
  private final AtomicReference<String> freedBy = new AtomicReference<>();
  private volatile Device bindingOwner;

  /** @param name how reports name this object, e.g. {@code "VcDsi"} or {@code "crtc-0"} */
  protected KObject(String name) {
    this.name = name;
    Kernel.constructed(this);
  }

  /** The name used in reports. */
  public String name() {
    return name;
  }

  /** False once freed. */
  public boolean isAlive() {
    return freedBy.get() == null;
  }

  /** What freed this object, e.g. {@code "devm allocation of VcDsi released at unbind of platform:dsi.0"}; null while alive. */
  public String freedBy() {
    return freedBy.get();
  }

  /**
   * Checks a use of this object: {@link ViolationKind#USE_AFTER_FREE} when freed; for devm memory used after
   * unplug outside a section, {@link ViolationKind#UNGUARDED_HW_ACCESS}. Returns true when the use was valid.
   *
   * @param use what the code does, e.g. {@code "read lanes"}
   */
  public boolean touch(String use) {
    String by = freedBy.get();
    if (by != null) {
      Kernel.report(
          ViolationKind.USE_AFTER_FREE,
          use + " on `" + name + "` after free (" + by + ") from " + Kernel.currentContext());
      return false;
    }
    Device owner = bindingOwner;
    if (owner != null) {
      return owner.checkGuarded(use + " on `" + name + "`", "devm memory of " + owner.name());
    }
    return true;
  }

  /**
   * Frees this object. Returns false and reports {@link ViolationKind#DOUBLE_FREE} when it was already freed.
   *
   * @param by what frees it, for later reports
   */
  @Frees
  public boolean free(String by) {
    if (!freedBy.compareAndSet(null, by)) {
      Kernel.report(
          ViolationKind.DOUBLE_FREE,
          "double free of `" + name + "`: first " + freedBy.get() + ", again " + by + " from "
              + Kernel.currentContext());
      return false;
    }
    Kernel.untrack(this);
    onFree();
    return true;
  }

  /** Called once, after this object was marked freed; subclasses drop what they hold. */
  protected void onFree() {}

  /** Registers this object with the leak check; {@link #leakReport()} decides at scenario end. */
  protected final void trackForLeaks() {
    Kernel.track(this);
  }

  /**
   * At scenario end, for a live tracked object: null when something legitimate still owns it (a bound driver, a
   * registered device), otherwise the leak report. The default reports every live tracked object.
   */
  protected String leakReport() {
    return "`" + name + "` (" + getClass().getSimpleName() + ") was never freed";
  }

  /** Marks this object as memory of {@code dev}'s binding (devm); set by {@code Devm.kzalloc}. */
  public final void setBindingOwner(Device dev) {
    this.bindingOwner = dev;
  }

  /** The device whose devres owns this object's memory, or null. */
  public final Device bindingOwner() {
    return bindingOwner;
  }

  final long serial() {
    return serial;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + name + (isAlive() ? "" : ", freed") + ")";
  }
}
