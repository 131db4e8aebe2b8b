package dev.lifeguard.runtime.gem;

import dev.lifeguard.annotations.ChainRank.Rank;
import dev.lifeguard.annotations.ChainRank;
import dev.lifeguard.annotations.Counted;
import dev.lifeguard.annotations.DrmScoped;
import dev.lifeguard.annotations.Frees;
import dev.lifeguard.annotations.HandleScoped;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.Kref;
import dev.lifeguard.runtime.core.KObject;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.drm.DrmDevice;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code struct drm_gem_object}: refcounted ({@code drm_gem_object_get}/{@code _put}), with a handle count and
 * two dma-buf pointers: {@link #dmaBuf()} ({@code obj->dma_buf}, handle-scoped: cleared and put when the last
 * handle goes) and {@link #importAttach()} (object-lifetime, imports only). The drm device counts live objects;
 * GEM core teardown with live objects is {@link ViolationKind#GEM_TEARDOWN_LIVE}.
 *
 * <pre>{@code
 * GemObject bo = GemObject.create(drm, "fb0", 4096);
 * int h = file.handleCreate(bo);
 * bo.put();                 // the handle keeps it alive
 * }</pre>
 */
@DrmScoped
@Counted
@ChainRank(Rank.IMPORTER_GEM)
public final class GemObject extends KObject {
  private final DrmDevice drm;
  private final int size;
  private final Kref refcount = new Kref();
  private final AtomicInteger handles = new AtomicInteger();
  private volatile DmaBuf dmaBuf;
  private volatile ImportAttach importAttach;

  private GemObject(DrmDevice drm, String name, int size) {
    super(name);
    this.drm = drm;
    this.size = size;
  }

  /** {@code drm_gem_object_init}: a new object with one reference held by the caller. */
  public static GemObject create(DrmDevice drm, String name, int size) {
    GemObject obj = Kernel.collectEmbedded(() -> new GemObject(drm, name, size), new java.util.ArrayList<>());
    drm.gemObjectCreated(obj);
    obj.trackForLeaks();
    return obj;
  }

  static GemObject createImport(DrmDevice importer, DmaBuf buf) {
    GemObject obj = create(importer, "import of " + buf.exporter().name(), buf.exporter().size());
    obj.importAttach = new ImportAttach(buf.get());
    return obj;
  }

  /** {@code obj->dev}. */
  public DrmDevice drm() {
    return drm;
  }

  /** {@code obj->size}. */
  public int size() {
    return size;
  }

  /** {@code drm_gem_object_get}. */
  public GemObject get() {
    touch("drm_gem_object_get");
    refcount.get();
    return this;
  }

  /**
   * {@code drm_gem_object_put}: the last put frees the object in context {@code "gem free <name>"}: the driver's
   * {@code funcs->free}, {@code drm_prime_gem_destroy} for imports (puts the dma-buf), then the memory.
   */
  @Frees
  public void put() {
    if (refcount.put(() -> "drm_gem_object_put on `" + name() + "` with no reference left"
        + (isAlive() ? "" : " (" + freedBy() + ")"))) {
      Kernel.inContext("gem free " + name(), this::release);
    }
  }

  private void release() {
    drm.touch("GEM free of `" + name() + "` uses obj->dev");
    KernelModule owner = drm.driver().owner();
    if (owner != null) {
      owner.checkCode("GEM free of `" + name() + "`");
    }
    drm.driver().gemFuncs().free(this);
    ImportAttach attach = importAttach;
    if (attach != null) {
      attach.dmaBuf().put(); // drm_prime_gem_destroy
    }
    drm.gemObjectFreed(this);
    free("freed by the last drm_gem_object_put");
  }

  /** The reference count. */
  public int refcount() {
    return refcount.read();
  }

  /** The number of userspace handles. */
  public int handleCount() {
    return handles.get();
  }

  /**
   * {@code obj->dma_buf}: the exported (or imported) dma-buf, valid only while a handle exists; null after the last
   * handle closed. Do not use it as an object-lifetime pointer.
   */
  @HandleScoped
  public DmaBuf dmaBuf() {
    return dmaBuf;
  }

  /** {@code obj->import_attach}: non-null for imported objects, for the whole object lifetime. */
  public ImportAttach importAttach() {
    return importAttach;
  }

  /** Whether this object was imported from another device's dma-buf. */
  public boolean isImport() {
    return importAttach != null;
  }

  /** Called by {@code drm_gem_handle_create}. */
  public void handleOpened() {
    touch("drm_gem_handle_create");
    handles.incrementAndGet();
  }

  /** Called by {@code drm_gem_handle_delete}: the last handle drops {@code obj->dma_buf}. */
  public void handleClosed() {
    if (handles.decrementAndGet() == 0) {
      DmaBuf b = dmaBuf;
      dmaBuf = null;
      if (b != null) {
        b.put(); // drm_gem_object_exported_dma_buf_free
      }
    }
  }

  void setDmaBuf(DmaBuf b) {
    this.dmaBuf = b;
  }

  @Override
  protected String leakReport() {
    if (drm.isAlive() && drm.parent().isBound()) {
      return null;
    }
    return "GEM object `" + name() + "` of drm " + drm.name() + " still has " + refcount.read()
        + " reference(s) and " + handles.get() + " handle(s) at the end";
  }
}
