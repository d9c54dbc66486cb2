package dev.agentrt.core.memory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One hit of a search, with the scores and ranks behind its place. A ranking that did not find the
 * item (or was not run) leaves its score and rank {@code null}.
 *
 * @param item the item found
 * @param fusedScore the score the hits are ordered by (the one ranking's score in a sparse or dense
 *     search); ties are ordered by space and key
 * @param denseScore cosine similarity of query and item embeddings
 * @param sparseScore the BM25 score
 * @param denseRank place in the dense ranking, from 1
 * @param sparseRank place in the sparse ranking, from 1
 * @since 0.1
 */
public record MemoryHit(
    MemoryItem item,
    double fusedScore,
    @Nullable Double denseScore,
    @Nullable Double sparseScore,
    @Nullable Integer denseRank,
    @Nullable Integer sparseRank) {
  /** Checks the arguments. */
  public MemoryHit {
    Objects.requireNonNull(item, "item");
  }
}
