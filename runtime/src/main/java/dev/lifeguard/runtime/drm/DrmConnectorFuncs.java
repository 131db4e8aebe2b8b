package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.DestroyHook;
import dev.lifeguard.annotations.UserReachable;

/**
 * {@code struct drm_connector_funcs} with {@code get_modes} of the probe helpers.
 *
 * <pre>{@code
 * DrmConnectorFuncs funcs = new DrmConnectorFuncs() {
 *   public boolean detect(DrmConnector c) { return true; }
 * };
 * }</pre>
 */
@UserReachable("KMS callbacks run from atomic commits, also after unbind")
public interface DrmConnectorFuncs {
  /** {@code .detect}: true when connected. */
  default boolean detect(DrmConnector connector) {
    return true;
  }

  /** {@code .destroy}: must stay NULL (not overridden) on drmm-managed connectors. */
  @DestroyHook
  default void destroy(DrmConnector connector) {}
}
