package dev.lifeguard.runtime.gem;

import dev.lifeguard.annotations.ChainRank.Rank;
import dev.lifeguard.annotations.ChainRank;
import dev.lifeguard.annotations.Counted;
import dev.lifeguard.annotations.Frees;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Kref;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;

/**
 * A {@code struct dma_buf} exported by {@code drm_gem_prime_export}: it holds counted references on the exporter
 * GEM object, the exporter drm device ({@code drm_gem_dmabuf_export}) and the exporter's module ({@code .owner}).
 * The chain runs one way: importer GEM object, dma-buf, exporter GEM object, exporter drm device and module.
 * The last {@link #put()} runs {@code drm_gem_dmabuf_release} in context {@code "dma-buf release"}.
 *
 * <pre>{@code
 * DmaBuf buf = Prime.handleToFd(file, handle);   // the caller holds the fd's reference
 * int h2 = Prime.fdToHandle(otherFile, buf);
 * buf.put();                                      // close(fd)
 * }</pre>
 */
@Counted
@ChainRank(Rank.DMA_BUF)
public final class DmaBuf extends KObject {
  @Counted @ChainRank(Rank.EXPORTER_GEM) private final GemObject exporter;
  @Counted private final DrmDevice exporterDrm;
  private final KernelModule owner;
  private final Kref refcount = new Kref();

  DmaBuf(GemObject exporter) {
    super("dma-buf of " + exporter.name());
    this.exporter = exporter;
    this.exporterDrm = exporter.drm();
    this.owner = exporterDrm.driver().owner();
    if (owner != null && !owner.tryGet()) {
      throw new ErrnoException(Errno.ENODEV, "dma_buf_export: module " + owner.name() + " is going away");
    }
    exporter.get();
    exporterDrm.get();
    trackForLeaks();
  }

  /** The exporter GEM object ({@code dmabuf->priv}). */
  public GemObject exporter() {
    return exporter;
  }

  /** The exporter drm device. */
  public DrmDevice exporterDrm() {
    return exporterDrm;
  }

  /** {@code get_dma_buf}. */
  public DmaBuf get() {
    touch("get_dma_buf");
    refcount.get();
    return this;
  }

  /** {@code dma_buf_put}: the last put releases the exporter references, then the module reference. */
  @Frees
  public void put() {
    if (refcount.put(() -> "dma_buf_put on `" + name() + "` with no reference left")) {
      Kernel.inContext("dma-buf release", () -> {
        if (owner != null) {
          owner.checkCode("dma-buf release of `" + name() + "`");
        }
        exporter.put();
        exporterDrm.put();
        free("released by the last dma_buf_put");
        if (owner != null) {
          owner.put(); // dma_buf_file_release: module_put after ops->release
        }
      });
    }
  }

  /** The reference count. */
  public int refcount() {
    return refcount.read();
  }

  @Override
  protected String leakReport() {
    if (exporterDrm.isAlive() && exporterDrm.parent().isBound()) {
      return null;
    }
    return "`" + name() + "` still has " + refcount.read() + " reference(s) at the end; it pins GEM `"
        + exporter.name() + "`, drm " + exporterDrm.name()
        + (owner == null ? "" : " and module " + owner.name());
  }
}
