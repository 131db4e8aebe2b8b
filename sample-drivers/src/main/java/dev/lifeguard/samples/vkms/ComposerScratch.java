package dev.lifeguard.samples.vkms;

import dev.lifeguard.runtime.core.KObject;

/**
 * The composer's line buffer, allocated with {@code devm_kzalloc} per binding. It holds no drm object, only pixels
 * and the CRC of the last composed frame; it is freed at unbind, so user-reachable code uses it only in a section.
 */
final class ComposerScratch extends KObject {
  private final int[] line = new int[64];
  private int crc;

  ComposerScratch() {
    super("vkms_composer_scratch");
  }

  /** Blends frame {@code frame} into the line buffer and returns its CRC (positive). */
  synchronized int compose(long frame) {
    touch("compose into scratch");
    int c = 17;
    for (int i = 0; i < line.length; i++) {
      line[i] = (int) (frame * 31 + i);
      c = c * 31 + line[i];
    }
    crc = (c & 0x7fffffff) == 0 ? 1 : c & 0x7fffffff; // ioctls return it, so keep it positive
    return crc;
  }

  synchronized int crc() {
    touch("read scratch crc");
    return crc;
  }
}
