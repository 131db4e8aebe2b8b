package dev.lifeguard.samples.vkms;

import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.drm.DrmTimer;

/**
 * The vkms output ({@code struct vkms_output}): vblank counter, crtc state and the vblank timer. Drm-scoped: the
 * timer and userspace's vblank waits can outlive unbind; the timer is cancelled by a drmm action at the final put.
 */
final class VkmsOutput extends KObject {
  private long vblanks;
  private boolean crtcEnabled;
  private DrmTimer timer;

  VkmsOutput() {
    super("vkms_output");
  }

  synchronized long vblanks() {
    touch("read vblank count");
    return vblanks;
  }

  /** {@code drm_crtc_handle_vblank}. */
  synchronized void handleVblank() {
    touch("handle vblank");
    vblanks++;
  }

  synchronized boolean crtcEnabled() {
    touch("read crtc state");
    return crtcEnabled;
  }

  synchronized void setCrtcEnabled(boolean on) {
    touch("write crtc state");
    crtcEnabled = on;
  }

  /** The vblank timer, set up on first use. */
  synchronized DrmTimer timer(VkmsDriver driver) {
    touch("vblank timer");
    if (timer == null) {
      timer = DrmTimer.setup("vkms-vblank", driver.owner());
    }
    return timer;
  }

  /** {@code hrtimer_cancel} at the final put; true when a fire was pending. */
  synchronized boolean cancelTimer() {
    touch("cancel vblank timer");
    return timer != null && timer.delete();
  }
}
