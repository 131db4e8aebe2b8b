package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one section token at a program point: the set of states it may be in (a bit mask), plus
 * where it was opened. Immutable.
 *
 * @param mask a union of {@link #HELD}, {@link #FAILED}, {@link #EXITED}, {@link #NEVER}
 * @param enterTree the enter call that opened it (null for an inherited or closure section)
 * @param device source text of the device the section was entered on
 * @param tokenName source text of the token, for messages
 * @param scoped the scoped (try-with-resources) form
 * @param inherited opened outside the analysed body (a runs-now lambda, an {@code @InSection} callback)
 */
public record SectionState(
    int mask, @Nullable Tree enterTree, String device, String tokenName, boolean scoped, boolean inherited) {
  /** A successful enter, not yet exited. */
  public static final int HELD = 1;
  /** Enter failed (the failure branch). */
  public static final int FAILED = 2;
  /** Exited after a successful enter. */
  public static final int EXITED = 4;
  /** Never entered (the token's initial state). */
  public static final int NEVER = 8;

  public boolean mustHeld() {
    return mask == HELD;
  }

  public boolean mayHeld() {
    return (mask & HELD) != 0;
  }

  public SectionState withMask(int m) {
    return new SectionState(m, enterTree, device, tokenName, scoped, inherited);
  }

  /** Field by field, cheapest first: stores are compared at every join. */
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o
        || o instanceof SectionState s
            && mask == s.mask
            && enterTree == s.enterTree
            && scoped == s.scoped
            && inherited == s.inherited
            && device.equals(s.device)
            && tokenName.equals(s.tokenName);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(mask, enterTree, device, tokenName, scoped, inherited);
  }

  SectionState lub(SectionState o) {
    if (this.equals(o)) {
      return this;
    }
    return new SectionState(
        mask | o.mask,
        enterTree != null ? enterTree : o.enterTree,
        device,
        tokenName,
        scoped || o.scoped,
        inherited && o.inherited);
  }

  public static String maskText(int mask) {
    StringBuilder sb = new StringBuilder();
    if ((mask & HELD) != 0) sb.append("held|");
    if ((mask & FAILED) != 0) sb.append("failed|");
    if ((mask & EXITED) != 0) sb.append("exited|");
    if ((mask & NEVER) != 0) sb.append("never|");
    return sb.length() == 0 ? "none" : sb.substring(0, sb.length() - 1);
  }

  public String debugPrint() {
    return "(" + tokenName + "@" + device + " " + maskText(mask) + (scoped ? " scoped" : "") + (inherited ? " inherited" : "") + ")";
  }
}
