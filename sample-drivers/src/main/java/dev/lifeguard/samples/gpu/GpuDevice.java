package dev.lifeguard.samples.gpu;

import dev.lifeguard.annotations.BindingScoped;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.runtime.bus.IrqRegistration;
import dev.lifeguard.runtime.bus.MmioRegion;
import dev.lifeguard.runtime.drm.DrmDevice;

/**
 * The GPU container ({@code struct gpu_device}), allocated with {@code devm_drm_dev_alloc}. The BAR and the IRQ
 * are binding-scoped; fences and the VRAM allocator are drm-scoped, because ioctls, GEM frees and dma-buf
 * releases reach them after unbind.
 */
public final class GpuDevice extends DrmDevice {
  /** BAR 0: the register file; unmapped at unbind. */
  @BindingScoped MmioRegion bar0;
  /** The job-completion interrupt; freed at unbind. */
  @BindingScoped IrqRegistration irq;
  @DrmScoped GpuFences fences;
  @DrmScoped VramPool vram;

  GpuDevice(Init init) {
    super(init);
  }

  /** {@code to_gpu(drm)}. */
  static GpuDevice of(DrmDevice drm) {
    return (GpuDevice) drm;
  }

  /** Bytes of VRAM in use by live buffers (drm-scoped state). */
  public int vramUsed() {
    return vram.used();
  }

  /** Whether the fence of {@code seqno} has signalled (drm-scoped state). */
  public boolean fenceSignaled(int seqno) {
    return fences.isSignaled(seqno);
  }
}
