package dev.lifeguard.checker.analysis;

/**
 * Where a lifetime fact about a value comes from, for messages: {@code "Devm.ioremap"},
 * {@code "field PanelDrm.regs is declared @BindingScoped"}, {@code "MmioRegion is a binding-scoped type"}.
 *
 * @param text a short human description of the source of the fact
 * @param fromType the fact comes from the value's type, not from an allocator or a declaration
 */
public record Origin(String text, boolean fromType) {
  public Origin(String text) {
    this(text, false);
  }

  @Override
  public String toString() {
    return text;
  }
}
