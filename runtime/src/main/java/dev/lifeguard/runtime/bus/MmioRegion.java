package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BindingScoped;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * An {@code __iomem} mapping from {@code devm_ioremap}, with a register file so drivers can read back what they
 * wrote. Every {@code readl}/{@code writel} is checked (see {@link BindingResource}).
 *
 * <pre>{@code
 * MmioRegion regs = Devm.ioremap(dev, "regs", 0x100);
 * regs.writel(0x04, 0xff);
 * int v = regs.readl(0x04);
 * }</pre>
 */
@BindingScoped
public final class MmioRegion extends BindingResource {
  private final AtomicIntegerArray registers;

  MmioRegion(String name, Device device, int size) {
    super(name, device);
    this.registers = new AtomicIntegerArray(Math.max(1, (size + 3) / 4));
  }

  /** {@code readl(base + off)}. */
  public int readl(int off) {
    checkAccess("MMIO read");
    return registers.get(index(off));
  }

  /** {@code writel(val, base + off)}. */
  public void writel(int off, int val) {
    checkAccess("MMIO write");
    registers.set(index(off), val);
  }

  /** The size in bytes. */
  public int size() {
    return registers.length() * 4;
  }

  private int index(int off) {
    if (off < 0 || off / 4 >= registers.length()) {
      throw new IndexOutOfBoundsException("offset 0x" + Integer.toHexString(off) + " outside `" + name() + "`");
    }
    return off / 4;
  }
}
