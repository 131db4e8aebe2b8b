package dev.lifeguard.runtime.drm;

import dev.lifeguard.runtime.core.Errno;
import dev.lifeguard.runtime.core.ErrnoException;
import dev.lifeguard.runtime.core.Kernel;
import dev.lifeguard.runtime.module.KernelModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debugfs entries of a drm device ({@code drm_debugfs_add_file}); {@link #read} runs the show callback in context
 * {@code "debugfs <name>"}.
 *
 * <pre>{@code
 * DebugFs.createFile(drm, "status", () -> "ok");
 * String s = DebugFs.read(drm, "status");
 * }</pre>
 */
public final class DebugFs {
  private static final Map<DrmDevice, Map<String, DebugFsShow>> FILES = new ConcurrentHashMap<>();

  private DebugFs() {}

  /** {@code drm_debugfs_add_file}. */
  public static void createFile(DrmDevice drm, String name, DebugFsShow show) {
    FILES.computeIfAbsent(drm, d -> new ConcurrentHashMap<>()).put(name, show);
  }

  /** Reads the file as userspace would; {@code ENOENT} if there is none. */
  public static String read(DrmDevice drm, String name) {
    DebugFsShow show = FILES.getOrDefault(drm, Map.of()).get(name);
    if (show == null) {
      throw new ErrnoException(Errno.ENOENT, "no debugfs file " + name);
    }
    return Kernel.inContext("debugfs " + name, () -> {
      KernelModule owner = drm.driver().owner();
      if (owner != null) {
        owner.checkCode("debugfs " + name + " of drm " + drm.name());
      }
      return show.show();
    });
  }
}
