package dev.lifeguard.runtime.gem;

import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.drm.DrmFile;

/**
 * PRIME: {@code drm_gem_prime_handle_to_fd} (export) and {@code drm_gem_prime_fd_to_handle} (import). The per-file
 * caches hold weak references only; self-import returns the same object ({@code drm_gem_prime_import}).
 *
 * <pre>{@code
 * DmaBuf buf = Prime.handleToFd(exporterFile, h);
 * int imported = Prime.fdToHandle(importerFile, buf);   // importer GEM -> dma-buf -> exporter GEM
 * buf.put();
 * }</pre>
 */
public final class Prime {
  private Prime() {}

  /**
   * Exports the object behind {@code handle}: returns its dma-buf with a new reference for the caller's fd (close
   * it with {@link DmaBuf#put()}). The first export creates the dma-buf and stores it in {@code obj->dma_buf}
   * with a handle-scoped reference. Throws {@code ENOENT} for an unknown handle.
   */
  public static DmaBuf handleToFd(DrmFile file, int handle) {
    GemObject obj = file.lookup(handle);
    if (obj == null) {
      throw new ErrnoException(Errno.ENOENT, "no GEM handle " + handle);
    }
    try {
      DmaBuf buf = obj.dmaBuf();
      if (buf != null) {
        return buf.get();
      }
      if (obj.importAttach() != null) {
        return obj.importAttach().dmaBuf().get(); // re-export of an import: the original dma-buf
      }
      buf = new DmaBuf(obj);
      obj.setDmaBuf(buf.get());
      file.primeAdd(buf, handle);
      return buf;
    } finally {
      obj.put();
    }
  }

  /**
   * Imports {@code buf} into {@code file}: a cached handle if this file already has one; for a dma-buf this
   * device exported (self-import), a handle to the same exporter object; otherwise a new importer GEM object
   * whose import attachment holds a dma-buf reference for its whole life (and {@code obj->dma_buf} one more,
   * handle-scoped). Returns the handle.
   */
  public static int fdToHandle(DrmFile file, DmaBuf buf) {
    buf.touch("drm_gem_prime_fd_to_handle");
    int h = file.primeLookup(buf);
    if (h >= 0) {
      return h;
    }
    if (buf.exporterDrm() == file.drm()) {
      GemObject obj = buf.exporter();
      h = file.handleOf(obj);
      if (h < 0) {
        h = file.handleCreate(obj);
      }
      file.primeAdd(buf, h);
      return h;
    }
    GemObject obj = GemObject.createImport(file.drm(), buf);
    obj.setDmaBuf(buf.get());
    h = file.handleCreate(obj);
    obj.put(); // the handle holds it now
    file.primeAdd(buf, h);
    return h;
  }
}
