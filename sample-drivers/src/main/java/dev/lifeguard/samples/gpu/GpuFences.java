package dev.lifeguard.samples.gpu;

import dev.lifeguard.runtime.core.KObject;

/**
 * Job fences of one GPU: the last submitted and the last completed sequence number. Drm-scoped, since userspace
 * waits on fences after the GPU is gone; remove() force-signals what can no longer complete.
 */
final class GpuFences extends KObject {
  private int submitted;
  private int completed;

  GpuFences() {
    super("gpu_fences");
  }

  synchronized int nextSeqno() {
    touch("emit fence");
    return ++submitted;
  }

  synchronized void signal(int seqno) {
    touch("signal fence");
    completed = Math.max(completed, seqno);
  }

  /** Signals every submitted fence: jobs that can no longer run must not leave waiters hanging. */
  synchronized int forceSignalAll() {
    touch("force-signal fences");
    int pending = submitted - completed;
    completed = submitted;
    return pending;
  }

  synchronized boolean isSignaled(int seqno) {
    touch("read fence");
    return completed >= seqno;
  }
}
