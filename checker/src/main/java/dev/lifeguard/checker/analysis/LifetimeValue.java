package dev.lifeguard.checker.analysis;

import com.sun.source.tree.Tree;
import org.checkerframework.errorprone.dataflow.analysis.AbstractValue;
import org.jspecify.annotations.Nullable;

/**
 * The abstract value of an expression: which lifetimes it may have. A may-analysis: a fact holds if it holds on
 * some path. Immutable.
 *
 * @param binding binding-scoped (devres, released at unbind), with its origin
 * @param drm drm-scoped (drm-managed memory or a drm-lifetime object), with its origin
 * @param ownedByBinding its initial reference belongs to devres ({@code @OwnedBy(BINDING)})
 * @param scopedSection the scoped {@code @Enter} call this value is the section of
 * @param freedBy a call that freed or put this value (a local) on some path to here
 * @param driverless a device registered by hand with no driver bound ({@code @Driverless}), with its origin
 */
public record LifetimeValue(
    @Nullable Origin binding,
    @Nullable Origin drm,
    @Nullable Origin ownedByBinding,
    @Nullable Tree scopedSection,
    @Nullable Tree freedBy,
    @Nullable Origin driverless)
    implements AbstractValue<LifetimeValue> {

  public static final LifetimeValue NONE = new LifetimeValue(null, null, null, null, null, null);

  public LifetimeValue(
      @Nullable Origin binding, @Nullable Origin drm, @Nullable Origin ownedByBinding, @Nullable Tree scopedSection) {
    this(binding, drm, ownedByBinding, scopedSection, null, null);
  }

  public boolean isNone() {
    return binding == null && drm == null && ownedByBinding == null && scopedSection == null && freedBy == null && driverless == null;
  }

  @Override
  public LifetimeValue leastUpperBound(LifetimeValue other) {
    // Asked at every read of a local: decide field by field, without comparing the origins' texts.
    if (this == other || other.isNone()) {
      return this;
    }
    if (isNone()) {
      return other;
    }
    Origin b = binding != null ? binding : other.binding;
    Origin d = drm != null ? drm : other.drm;
    Origin o = ownedByBinding != null ? ownedByBinding : other.ownedByBinding;
    Tree s = scopedSection != null ? scopedSection : other.scopedSection;
    Tree f = freedBy != null ? freedBy : other.freedBy;
    Origin dl = driverless != null ? driverless : other.driverless;
    if (b == binding && d == drm && o == ownedByBinding && s == scopedSection && f == freedBy && dl == driverless) {
      return this;
    }
    return new LifetimeValue(b, d, o, s, f, dl);
  }

  public LifetimeValue withDriverless(Origin o) {
    return new LifetimeValue(binding, drm, ownedByBinding, scopedSection, freedBy, o);
  }

  public LifetimeValue withFreedBy(@Nullable Tree call) {
    return new LifetimeValue(binding, drm, ownedByBinding, scopedSection, call, driverless);
  }

  public LifetimeValue withDrm(Origin o) {
    return new LifetimeValue(binding, o, ownedByBinding, scopedSection, freedBy, driverless);
  }

  public LifetimeValue withBinding(Origin o) {
    return new LifetimeValue(o, drm, ownedByBinding, scopedSection, freedBy, driverless);
  }

  public LifetimeValue withOwned(Origin o) {
    return new LifetimeValue(binding, drm, o, scopedSection, freedBy, driverless);
  }

  public String debugPrint() {
    StringBuilder sb = new StringBuilder("(");
    if (binding != null) {
      sb.append("binding ").append(binding).append(' ');
    }
    if (drm != null) {
      sb.append("drm ").append(drm).append(' ');
    }
    if (ownedByBinding != null) {
      sb.append("owned-by-binding ").append(ownedByBinding).append(' ');
    }
    if (scopedSection != null) {
      sb.append("section ");
    }
    if (freedBy != null) {
      sb.append("freed ");
    }
    if (driverless != null) {
      sb.append("driverless ").append(driverless).append(' ');
    }
    return sb.toString().trim() + ")";
  }
}
