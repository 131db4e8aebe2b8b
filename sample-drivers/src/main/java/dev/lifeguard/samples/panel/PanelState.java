package dev.lifeguard.samples.panel;

import dev.lifeguard.runtime.core.KObject;

/**
 * What userspace configured on the panel (backlight level, flush statistics). Allocated with {@code drmm_kzalloc}:
 * userspace can read it for as long as it holds an fd, also after the panel was pulled out.
 */
final class PanelState extends KObject {
  private int backlight = 100;
  private long flushes;

  PanelState() {
    super("usbpanel_state");
  }

  synchronized int backlight() {
    touch("read backlight");
    return backlight;
  }

  synchronized void setBacklight(int level) {
    touch("write backlight");
    backlight = level;
  }

  synchronized long flushes() {
    touch("read flush count");
    return flushes;
  }

  synchronized void countFlush() {
    touch("count flush");
    flushes++;
  }
}
