package dev.lifeguard.runtime.gem;

import dev.lifeguard.annotations.ChainRank.Rank;
import dev.lifeguard.annotations.ChainRank;
import dev.lifeguard.annotations.Counted;

/**
 * {@code struct dma_buf_attachment} of an imported GEM object ({@code obj->import_attach}): it holds a counted
 * reference on the dma-buf for the object's whole lifetime, dropped by {@code drm_prime_gem_destroy} at free.
 * Use {@code importAttach().dmaBuf()}, not {@code obj.dmaBuf()}, for object-lifetime access.
 *
 * <pre>{@code
 * DmaBuf buf = imported.importAttach().dmaBuf();
 * }</pre>
 */
@ChainRank(Rank.IMPORTER_GEM)
public final class ImportAttach {
  @Counted private final DmaBuf dmaBuf;

  ImportAttach(DmaBuf dmaBuf) {
    this.dmaBuf = dmaBuf;
  }

  /** {@code import_attach->dmabuf}. */
  public DmaBuf dmaBuf() {
    return dmaBuf;
  }
}
