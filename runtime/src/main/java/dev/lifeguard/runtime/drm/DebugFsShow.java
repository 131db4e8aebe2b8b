package dev.lifeguard.runtime.drm;

import dev.lifeguard.annotations.UserReachable;

/**
 * A debugfs {@code show} callback ({@code seq_file}); it runs whenever userspace reads the file.
 *
 * <pre>{@code
 * DebugFs.createFile(drm, "regs", () -> drm.guarded(...) ? "ok" : "unplugged");
 * }</pre>
 */
@UserReachable("debugfs files can be read after unbind while the drm device lives")
@FunctionalInterface
public interface DebugFsShow {
  /** The file contents. */
  String show();
}
