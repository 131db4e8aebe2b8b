package dev.lifeguard.checker.analysis;

import org.jspecify.annotations.Nullable;

/**
 * The context a body of code runs in, with the reason, both for messages.
 *
 * @param kind bound, user-reachable or unknown
 * @param where what makes it so, e.g. "`setPlane` implements DrmIoctl.handle"
 * @param why the {@code @UserReachable} text, or a built-in explanation; may be empty
 * @param releaseHook true for the drm driver's release hook
 * @param managed the lifetime whose end runs this code when it is a managed action ({@code "DRM"} for a drmm
 *     action, {@code "BINDING"} for a devres action), else null
 */
public record CodeContext(Kind kind, String where, String why, boolean releaseHook, @Nullable String managed) {
  /** The three contexts. */
  public enum Kind {
    BOUND,
    USER_REACHABLE,
    UNKNOWN
  }

  public static final CodeContext UNKNOWN = new CodeContext(Kind.UNKNOWN, "", "", false);

  public CodeContext(Kind kind, String where, String why, boolean releaseHook) {
    this(kind, where, why, releaseHook, null);
  }

  /** The same context, known to be a managed action of {@code lifetime} (null keeps it as it is). */
  public CodeContext withManaged(@Nullable String lifetime) {
    return lifetime == null || lifetime.equals(managed) ? this : new CodeContext(kind, where, why, releaseHook, lifetime);
  }

  /** A drm-managed action: runs at the final drm put, after unbind. */
  public boolean isDrmAction() {
    return "DRM".equals(managed);
  }

  /** A module exit callback ({@code @ManagedAction(MODULE)}): runs at unload. */
  public boolean isModuleExit() {
    return "MODULE".equals(managed);
  }

  /** A devres action: runs at unbind. */
  public boolean isDevresAction() {
    return "BINDING".equals(managed);
  }

  /** Code that runs in drm teardown, after unbind: the release hook or a drm-managed action. */
  public boolean isDrmTeardown() {
    return releaseHook || isDrmAction();
  }

  public boolean isUserReachable() {
    return kind == Kind.USER_REACHABLE;
  }

  public boolean isBound() {
    return kind == Kind.BOUND;
  }

  /** "`where`, which is user-reachable (why)". */
  public String describe() {
    String k = kind == Kind.BOUND ? "bound context" : kind == Kind.USER_REACHABLE ? "user-reachable" : "of unknown context";
    return where + ", which is " + k + (why.isEmpty() ? "" : " (" + why + ")");
  }

  public String debugPrint() {
    return "(context " + kind + (releaseHook ? " release-hook" : "") + (managed != null ? " managed-" + managed : "") + " \"" + where + "\")";
  }
}
