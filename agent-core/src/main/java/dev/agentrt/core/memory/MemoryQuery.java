package dev.agentrt.core.memory;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search of memory.
 *
 * @param text the query text, not blank
 * @param k how many hits at most, 1 to {@value #MAX_K}
 * @param spaces the spaces searched, at least one
 * @param mode the ranking; {@code null}: {@link SearchMode#HYBRID} when an {@link Embedder} is
 *     available, otherwise {@link SearchMode#SPARSE}
 * @param filter which items may be returned
 * @param fusion how a hybrid search fuses its rankings
 * @param rerankFactor each ranking contributes its best {@code k × rerankFactor} candidates to the
 *     fusion, at least 1
 * @since 0.1
 */
public record MemoryQuery(
    String text,
    int k,
    List<MemorySpace> spaces,
    @Nullable SearchMode mode,
    MemoryFilter filter,
    Fusion fusion,
    int rerankFactor) {
  /** The most hits one search returns. */
  public static final int MAX_K = 1000;

  /** The default candidates per ranking, as a multiple of {@code k}. */
  public static final int DEFAULT_RERANK_FACTOR = 4;

  /** Checks and copies the arguments; a bad argument's message says what to change. */
  public MemoryQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(fusion, "fusion");
    if (text.isBlank()) throw new IllegalArgumentException("a memory search needs a query text");
    if (k < 1 || k > MAX_K)
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", got " + k);
    if (rerankFactor < 1)
      throw new IllegalArgumentException("rerank_factor must be at least 1, got " + rerankFactor);
    spaces = List.copyOf(spaces);
    if (spaces.isEmpty())
      throw new IllegalArgumentException("a memory search needs at least one space");
  }

  /** A search for {@code text} in {@code spaces}: 10 hits, default mode, RRF, no filter. */
  public static MemoryQuery of(String text, MemorySpace... spaces) {
    return new MemoryQuery(
        text, 10, List.of(spaces), null, MemoryFilter.NONE, Fusion.rrf(), DEFAULT_RERANK_FACTOR);
  }

  /** This query returning at most {@code k} hits. */
  public MemoryQuery withK(int k) {
    return new MemoryQuery(text, k, spaces, mode, filter, fusion, rerankFactor);
  }

  /** This query with ranking {@code mode}. */
  public MemoryQuery withMode(@Nullable SearchMode mode) {
    return new MemoryQuery(text, k, spaces, mode, filter, fusion, rerankFactor);
  }

  /** This query with {@code filter}. */
  public MemoryQuery withFilter(MemoryFilter filter) {
    return new MemoryQuery(text, k, spaces, mode, filter, fusion, rerankFactor);
  }

  /** This query fused by {@code fusion}. */
  public MemoryQuery withFusion(Fusion fusion) {
    return new MemoryQuery(text, k, spaces, mode, filter, fusion, rerankFactor);
  }

  /** This query with {@code rerankFactor} candidates per ranking per hit. */
  public MemoryQuery withRerankFactor(int rerankFactor) {
    return new MemoryQuery(text, k, spaces, mode, filter, fusion, rerankFactor);
  }
}
