package dev.lifeguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The position of a type (or of the object a field holds) in the PRIME reference chain, which flows one way:
 * importer GEM object, then dma-buf, then exporter GEM object ({@code drm_prime.c}: "the chain of references
 * always flows in one direction, avoiding loops"). A counted reference from a type of a later position to one of
 * an earlier position points back up the chain and can close a loop.
 *
 * <p>On a type it ranks the type (a user type declares its role: {@code @ChainRank(Rank.DMA_BUF)} on the private
 * data of a dma-buf export); on a field it ranks the object the field holds, when the field's type alone cannot
 * tell (the dma-buf's exporter is a GEM object at {@link Rank#EXPORTER_GEM}).
 *
 * <pre>{@code
 * @ChainRank(Rank.DMA_BUF) public final class DmaBuf {
 *   @Counted @ChainRank(Rank.EXPORTER_GEM) private final GemObject exporter;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.FIELD})
public @interface ChainRank {
  /** The position. */
  Rank value();

  /** The positions of the PRIME chain, in the direction references may point. */
  enum Rank {
    /** The importing GEM object and what it owns (its import attachment). */
    IMPORTER_GEM,
    /** The dma-buf and the exporter's per-export data. */
    DMA_BUF,
    /** The exported GEM object. */
    EXPORTER_GEM
  }
}
