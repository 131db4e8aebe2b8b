package dev.lifeguard.checker.analysis;

/**
 * The context a body of code runs in, with the reason, both for messages.
 *
 * @param kind bound, user-reachable or unknown
 * @param where what makes it so, e.g. "`setPlane` implements DrmIoctl.handle"
 * @param why the {@code @UserReachable} text, or a built-in explanation; may be empty
 * @param releaseHook true for the drm driver's release hook
 */
public record CodeContext(Kind kind, String where, String why, boolean releaseHook) {
  /** The three contexts. */
  public enum Kind {
    BOUND,
    USER_REACHABLE,
    UNKNOWN
  }

  public static final CodeContext UNKNOWN = new CodeContext(Kind.UNKNOWN, "", "", false);

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
    return "(context " + kind + (releaseHook ? " release-hook" : "") + " \"" + where + "\")";
  }
}
