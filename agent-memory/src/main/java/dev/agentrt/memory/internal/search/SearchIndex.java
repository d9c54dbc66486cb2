package dev.agentrt.memory.internal.search;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The search side of a memory backend: the backend keeps its items durably and tells the index
 * every change; the index ranks them. Filters ({@link MemoryQuery#filter()}) and spaces ({@link
 * MemoryQuery#spaces()}) are applied by the index before ranking, so a filtered search still finds
 * {@code n} hits when that many pass. Ties are ordered by {@link
 * dev.agentrt.core.memory.Fusion#ORDER}. Thread-safe.
 */
public interface SearchIndex extends AutoCloseable {

  /** Adds or replaces the item (by space and key), with its unit-length vector if it has one. */
  void upsert(MemoryItem item, float @Nullable [] vector);

  /** Removes the item, if present. */
  void delete(MemorySpace space, String key);

  /**
   * The best {@code n} items of {@code query}'s spaces passing its filter by BM25 over their text,
   * best first; each hit has {@link MemoryHit#sparseScore()} (and equal {@code fusedScore}) and
   * {@link MemoryHit#sparseRank()}.
   */
  List<MemoryHit> sparse(MemoryQuery query, int n);

  /**
   * The best {@code n} items of {@code query}'s spaces passing its filter by cosine similarity of
   * their vectors to {@code vector}, best first; each hit has {@link MemoryHit#denseScore()} (and
   * equal {@code fusedScore}) and {@link MemoryHit#denseRank()}. Items stored without a vector are
   * not found.
   */
  List<MemoryHit> dense(MemoryQuery query, float[] vector, int n);

  /** How many items the index holds. */
  int size();

  /** Makes the changes so far durable (for an index kept on disk); a no-op otherwise. */
  void commit();

  @Override
  void close();
}
