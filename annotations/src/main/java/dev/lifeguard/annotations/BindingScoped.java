package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value lives only as long as the bus binding: it is released at unbind, remove, unplug or a failed probe
 * (devres, {@code devm_*} in the kernel).
 *
 * <ul>
 *   <li>On a <b>type</b>: every instance is binding-scoped by nature (MMIO regions, IRQ registrations, clocks).
 *   <li>On a <b>method</b>: the returned value is binding-scoped ({@code Devm.kzalloc}).
 *   <li>On a <b>field or parameter</b>: it holds a binding-scoped value. Declaring it is what lets a
 *       drm-lifetime object keep a pointer to hardware: every use is then checked to sit inside a section.
 * </ul>
 *
 * <p>Binding-scoped values may be used directly in {@link BoundContext} code. In {@link UserReachable} code they
 * may be used only inside a successful {@link Enter} section.
 *
 * <pre>{@code
 * final class PanelDrm extends DrmDevice {
 *   @BindingScoped MmioRegion regs;           // released at unbind of the SPI device
 *
 *   void flush() {                              // called from an ioctl
 *     SrcuIdx idx = new SrcuIdx();
 *     if (!enter(idx)) return;
 *     try { regs.writel(0x10, 1); } finally { exit(idx); }
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface BindingScoped {}
