package dev.lifeguard.runtime.drm;

/**
 * Plain (unmanaged) KMS init: {@code drm_crtc_init_with_planes}, {@code drm_universal_plane_init}, {@code
 * drm_encoder_init}, {@code drm_connector_init}. The object is listed in the mode config; {@code
 * drm_mode_config_cleanup} cleans it up through its destroy hook, which must be set here.
 *
 * <pre>{@code
 * KmsObjects.crtcInit(drm, priv.crtc, priv.primary, null, new DrmCrtcFuncs() {
 *   public void destroy(DrmCrtc c) { c.cleanup("destroy hook"); }
 * });
 * }</pre>
 */
public final class KmsObjects {
  private KmsObjects() {}

  /** {@code drm_crtc_init_with_planes}. */
  public static int crtcInit(DrmDevice drm, DrmCrtc crtc, DrmPlane primary, DrmPlane cursor, DrmCrtcFuncs funcs) {
    if (primary != null) {
      primary.touch("drm_crtc_init_with_planes primary");
    }
    if (cursor != null) {
      cursor.touch("drm_crtc_init_with_planes cursor");
    }
    crtc.init(drm, funcs);
    return 0;
  }

  /** {@code drm_universal_plane_init}. */
  public static int planeInit(DrmDevice drm, DrmPlane plane, DrmPlaneFuncs funcs) {
    plane.init(drm, funcs);
    return 0;
  }

  /** {@code drm_encoder_init}. */
  public static int encoderInit(DrmDevice drm, DrmEncoder encoder, DrmEncoderFuncs funcs) {
    encoder.init(drm, funcs);
    return 0;
  }

  /** {@code drm_connector_init}. */
  public static int connectorInit(DrmDevice drm, DrmConnector connector, DrmConnectorFuncs funcs) {
    connector.init(drm, funcs);
    return 0;
  }
}
