package dev.lifeguard.runtime.core;

/**
 * One detected misuse, as the runtime saw it while the code ran (like a KASAN or WARN splat).
 *
 * <pre>{@code
 * for (Violation v : Kernel.violations()) System.out.println(v);
 * // UNGUARDED_HW_ACCESS: MMIO write to `regs` (devm, mapped on spi:panel.0) from ioctl SET_PLANE after unplug ...
 * }</pre>
 *
 * @param kind the detector that fired
 * @param message the report, phrased like a kernel developer's bug report
 * @param context the code context the offending access ran in, e.g. {@code "ioctl SET_PLANE"}
 * @param thread the name of the thread that made the access
 */
public record Violation(ViolationKind kind, String message, String context, String thread) {
  @Override
  public String toString() {
    return kind + ": " + message + " [context: " + context + ", thread: " + thread + "]";
  }
}
