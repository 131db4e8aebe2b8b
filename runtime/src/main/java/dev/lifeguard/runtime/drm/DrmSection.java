package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.Entered;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;

/**
 * The scoped form of {@code drm_dev_enter}/{@code drm_dev_exit} (like Rust's {@code RegistrationGuard}): use it in
 * try-with-resources and test {@link #entered()} before touching hardware. {@link #close()} exits only when the
 * enter succeeded.
 *
 * <pre>{@code
 * try (DrmSection s = drm.enterScoped()) {
 *   if (!s.entered()) return -Errno.ENODEV;
 *   regs.writel(CTRL, 1);
 * }
 * }</pre>
 */
public final class DrmSection implements AutoCloseable {
  private final DrmDevice drm;
  private final SrcuIdx idx = new SrcuIdx();
  private final boolean entered;
  private boolean closed;

  DrmSection(DrmDevice drm) {
    this.drm = drm;
    this.entered = drm.enter(idx);
  }

  /** True when the section was entered (the device was not unplugged). */
  @Entered
  public boolean entered() {
    return entered;
  }

  /** Ends the section if it was entered; closing twice is an unbalanced exit. */
  @Override
  public void close() {
    if (closed) {
      Kernel.report(ViolationKind.UNBALANCED_SECTION, "DrmSection of drm " + drm.name() + " closed twice from "
          + Kernel.currentContext());
      return;
    }
    closed = true;
    if (entered) {
      drm.exit(idx);
    }
  }
}
