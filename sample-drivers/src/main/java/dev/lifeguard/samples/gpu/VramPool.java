package dev.lifeguard.samples.gpu;

import dev.lifeguard.annotations.Weak;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.gem.GemObject;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The VRAM allocator: a bump allocator with the placement of each buffer. Drm-scoped: buffers are freed when
 * their last reference goes, which userspace controls, so the allocator must outlive unbind.
 */
final class VramPool extends KObject {
  private final int size;
  private int used;
  /** Placement of each live buffer; entries go at GEM free, so it does not keep buffers alive. */
  @Weak private final Map<GemObject, Integer> placement = new IdentityHashMap<>();

  VramPool(int size) {
    super("gpu_vram");
    this.size = size;
  }

  /** Reserves {@code bytes}; returns the VRAM offset or -1 when full. */
  synchronized int reserve(int bytes) {
    touch("vram reserve");
    if (used + bytes > size) {
      return -1;
    }
    int offset = used;
    used += bytes;
    return offset;
  }

  synchronized void place(GemObject bo, int offset) {
    touch("vram place");
    placement.put(bo, offset);
  }

  /** The VRAM offset of {@code bo}, or -1 for buffers that do not live in VRAM (imports). */
  synchronized int offsetOf(GemObject bo) {
    touch("vram lookup");
    Integer off = placement.get(bo);
    return off == null ? -1 : off;
  }

  synchronized void release(GemObject bo) {
    touch("vram release");
    if (placement.remove(bo) != null) {
      used -= bo.size();
    }
  }

  synchronized int used() {
    touch("vram usage");
    return used;
  }
}
