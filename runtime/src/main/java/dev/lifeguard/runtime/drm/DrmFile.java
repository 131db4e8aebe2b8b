package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.Weak;
import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.core.ViolationKind;
import dev.lifeguard.runtime.gem.DmaBuf;
import dev.lifeguard.runtime.gem.GemObject;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An open drm file ({@code struct drm_file}): {@link #open(DrmDevice)} is {@code drm_open} (through {@code
 * drm_minor_acquire}), {@link #ioctl(String, long)} is {@code drm_ioctl}, {@link #close()} is {@code
 * drm_release}. An open file pins the drm device and, through {@code fops.owner}, the driver's module. It also
 * owns GEM handles ({@code drm_gem_handle_create}) and the PRIME caches, which hold weak references only.
 *
 * <p>Model choice: {@code drm_ioctl}'s early {@code drm_dev_is_unplugged()} check is racy and protects nothing an
 * ioctl does once it passed it, so the runtime leaves it out: ioctls dispatch after unplug, which keeps the race
 * window open deterministically. Handlers must use {@code drm_dev_enter}.
 *
 * <pre>{@code
 * DrmFile f = DrmFile.open(drm);
 * int ret = f.ioctl("SET_PLANE", 1);
 * f.close();
 * }</pre>
 */
public final class DrmFile {
  private final DrmDevice drm;
  private final Map<Integer, GemObject> handles = new HashMap<>();
  @Weak private final Map<DmaBuf, Integer> primeCache = new WeakHashMap<>();
  private int nextHandle = 1;
  private volatile boolean closed;

  private DrmFile(DrmDevice drm) {
    this.drm = drm;
  }

  /**
   * {@code open("/dev/dri/cardN")}: takes the driver module ({@code fops_get}) and a drm reference ({@code
   * drm_dev_get}). Throws {@link ErrnoException} with {@code ENODEV} once the device is unplugged or its module
   * is going away.
   */
  public static DrmFile open(DrmDevice drm) {
    drm.touch("drm_open");
    if (drm.isUnplugged()) {
      throw new ErrnoException(Errno.ENODEV, "open of drm " + drm.name() + " after unplug");
    }
    KernelModule owner = drm.driver().owner();
    if (owner != null && !owner.tryGet()) {
      throw new ErrnoException(Errno.ENODEV, "open of drm " + drm.name() + ": module " + owner.name()
          + " is going away");
    }
    drm.get();
    return new DrmFile(drm);
  }

  /** The drm device ({@code file->minor->dev}). */
  public DrmDevice drm() {
    return drm;
  }

  /**
   * {@code drm_ioctl}: runs the driver's ioctl {@code name} in context {@code "ioctl NAME"}. Unknown ioctls return
   * {@code -EINVAL}; a closed file {@code -EBADF}; an {@link ErrnoException} from the handler becomes its negative
   * errno. A handler that returns with a section still held is {@link ViolationKind#UNBALANCED_SECTION}; the
   * runtime ends the leaked section so unplug cannot hang.
   */
  public int ioctl(String name, long arg) {
    if (closed) {
      return -Errno.EBADF;
    }
    DrmIoctl handler = drm.driver().ioctls().get(name);
    if (handler == null) {
      return -Errno.EINVAL;
    }
    String ctx = "ioctl " + name;
    return Kernel.inContext(ctx, () -> {
      drm.touch("drm_ioctl " + name);
      KernelModule owner = drm.driver().owner();
      if (owner != null) {
        owner.checkCode(ctx + " of drm " + drm.name());
      }
      int depth = Kernel.sectionDepth();
      int ret;
      try {
        ret = handler.handle(this, arg);
      } catch (ErrnoException e) {
        ret = -e.errno();
      }
      if (Kernel.sectionDepth() > depth) {
        Kernel.report(ViolationKind.UNBALANCED_SECTION, ctx + " returned with " + (Kernel.sectionDepth() - depth)
            + " drm_dev_enter section(s) of drm " + drm.name() + " still held; drm_dev_unplug would wait forever");
        Kernel.repairSections(depth);
      }
      return ret;
    });
  }

  /** {@code drm_gem_handle_create}: a new handle holding a reference on {@code obj}. */
  public synchronized int handleCreate(GemObject obj) {
    checkOpen("drm_gem_handle_create");
    obj.get();
    obj.handleOpened();
    int h = nextHandle++;
    handles.put(h, obj);
    return h;
  }

  /** {@code drm_gem_handle_delete}: drops the handle and its reference; -EINVAL for an unknown handle. */
  public int handleDelete(int handle) {
    GemObject obj;
    synchronized (this) {
      obj = handles.remove(handle);
      if (obj == null) {
        return -Errno.EINVAL;
      }
      primeCache.values().removeIf(h -> h == handle);
    }
    obj.handleClosed();
    obj.put();
    return 0;
  }

  /** {@code drm_gem_object_lookup}: the object behind {@code handle} with a new reference the caller puts; or null. */
  public synchronized GemObject lookup(int handle) {
    GemObject obj = handles.get(handle);
    if (obj != null) {
      obj.get();
    }
    return obj;
  }

  /** The handle this file has for {@code obj}, or -1. */
  public synchronized int handleOf(GemObject obj) {
    for (Map.Entry<Integer, GemObject> e : handles.entrySet()) {
      if (e.getValue() == obj) {
        return e.getKey();
      }
    }
    return -1;
  }

  /** The PRIME cache lookup ({@code drm_prime_lookup_buf_handle}): the handle for {@code buf}, or -1. */
  public synchronized int primeLookup(DmaBuf buf) {
    Integer h = primeCache.get(buf);
    return h == null ? -1 : h;
  }

  /** Adds {@code buf -> handle} to the weak PRIME cache ({@code drm_prime_add_buf_handle}). */
  public synchronized void primeAdd(DmaBuf buf, int handle) {
    primeCache.put(buf, handle);
  }

  /** The number of open handles. */
  public synchronized int handleCount() {
    return handles.size();
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * {@code drm_release} (last {@code close(fd)}): deletes every handle, drops the drm reference (which may be the
   * final put: release hook, drmm actions) and then the module reference. Closing twice is a double free.
   */
  public void close() {
    if (closed) {
      Kernel.report(ViolationKind.DOUBLE_FREE, "close of a drm file of drm " + drm.name() + " that is already"
          + " closed");
      return;
    }
    closed = true;
    List<Integer> open;
    synchronized (this) {
      open = new ArrayList<>(handles.keySet());
    }
    for (int h : open) {
      handleDelete(h);
    }
    KernelModule owner = drm.driver().owner();
    drm.put();
    if (owner != null) {
      owner.put();
    }
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new ErrnoException(Errno.EBADF, what + " on a closed drm file");
    }
  }
}
