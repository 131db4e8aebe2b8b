package dev.lifeguard.runtime.bus;

import dev.lifeguard.annotations.BindingScoped;

/**
 * A clock from {@code devm_clk_get}: {@code clk_prepare_enable}, {@code clk_disable_unprepare}, {@code
 * clk_get_rate}/{@code clk_set_rate}, each checked like MMIO (see {@link BindingResource}).
 *
 * <pre>{@code
 * Clock pclk = Devm.clkGet(dev, "pclk");
 * pclk.enable();
 * }</pre>
 */
@BindingScoped
public final class Clock extends BindingResource {
  private volatile boolean enabled;
  private volatile long rate;

  Clock(Device device, String id) {
    super(id, device);
  }

  /** {@code clk_prepare_enable}. */
  public int enable() {
    checkAccess("clk_prepare_enable");
    enabled = true;
    return 0;
  }

  /** {@code clk_disable_unprepare}. */
  public void disable() {
    checkAccess("clk_disable_unprepare");
    enabled = false;
  }

  /** {@code __clk_is_enabled}. */
  public boolean isEnabled() {
    return enabled;
  }

  /** {@code clk_get_rate}. */
  public long rate() {
    checkAccess("clk_get_rate");
    return rate;
  }

  /** {@code clk_set_rate}. */
  public int setRate(long hz) {
    checkAccess("clk_set_rate");
    rate = hz;
    return 0;
  }
}
