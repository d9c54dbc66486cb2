package dev.agentrt.core.memory;

import java.util.Comparator;
import java.util.List;

/**
 * How a hybrid search combines its two rankings.
 *
 * @since 0.1
 */
public sealed interface Fusion {

  /** The order of hits: by fused score, best first; ties by scope, owner and key. */
  Comparator<MemoryHit> ORDER =
      Comparator.comparingDouble(MemoryHit::fusedScore)
          .reversed()
          .thenComparing(h -> h.item().space().scope())
          .thenComparing(h -> h.item().space().owner())
          .thenComparing(h -> h.item().key());

  /** Reciprocal-rank fusion with the usual constant, {@code k = 60}. */
  static Fusion rrf() {
    return new ReciprocalRank(60);
  }

  /**
   * Fuses two rankings of candidates into at most {@code k} hits, best first ({@link #ORDER}). Each
   * list is ordered best first and carries its own score ({@link MemoryHit#denseScore()} resp.
   * {@link MemoryHit#sparseScore()}); an item is identified by space and key. The hits carry both
   * scores and both ranks (from 1) where the item was found.
   *
   * @param dense the dense ranking (may be empty)
   * @param sparse the sparse ranking (may be empty)
   * @param k the most hits returned
   */
  default List<MemoryHit> fuse(List<MemoryHit> dense, List<MemoryHit> sparse, int k) {
    return FusionMath.fuse(this, dense, sparse, k);
  }

  /**
   * Reciprocal-rank fusion: an item's fused score is the sum, over the rankings that found it, of
   * {@code 1 / (k + rank)} (ranks start at 1).
   *
   * @param k the constant, at least 1; larger values flatten the difference between ranks
   */
  record ReciprocalRank(int k) implements Fusion {
    /** Checks {@code k}. */
    public ReciprocalRank {
      if (k < 1) throw new IllegalArgumentException("rrf_k must be at least 1, got " + k);
    }
  }

  /**
   * Weighted scores: {@code denseWeight × dense + sparseWeight × sparse}, each score first scaled
   * to [0, 1] over the candidates of its ranking (min-max); a ranking that did not find the item
   * adds 0.
   *
   * @param denseWeight the weight of the dense score, at least 0
   * @param sparseWeight the weight of the sparse score, at least 0
   */
  record Weighted(double denseWeight, double sparseWeight) implements Fusion {
    /** Checks the weights. */
    public Weighted {
      if (!(denseWeight >= 0) || !(sparseWeight >= 0) || denseWeight + sparseWeight == 0)
        throw new IllegalArgumentException(
            "dense_weight and sparse_weight must be at least 0 and not both 0, got "
                + denseWeight
                + " and "
                + sparseWeight);
    }
  }
}
