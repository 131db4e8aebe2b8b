package dev.lifeguard.samples.vgem;

import dev.lifeguard.runtime.core.KObject;

/** Buffer statistics of one vgem device; drmm memory, since GEM frees update it after the device is gone. */
final class VgemStats extends KObject {
  private int created;
  private int imported;
  private int freed;

  VgemStats() {
    super("vgem_stats");
  }

  synchronized int nextCreated() {
    touch("count created buffer");
    return ++created;
  }

  synchronized void countImport() {
    touch("count imported buffer");
    imported++;
  }

  synchronized void countFree() {
    touch("count freed buffer");
    freed++;
  }

  synchronized String summary() {
    touch("read buffer statistics");
    return created + " created, " + imported + " imported, " + freed + " freed";
  }
}
