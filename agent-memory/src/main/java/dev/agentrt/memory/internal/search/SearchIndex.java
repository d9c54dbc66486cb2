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
 *
 * <p>Storage is the source of truth. The backend numbers its durable changes (a sequence number
 * that storage keeps atomically with each change) and labels each {@link #commit(long) commit} of
 * the index with the number of the last change the index holds; on open it compares {@link
 * #committedSeq()} with storage's number and rebuilds the index from storage on any difference, so
 * a crash between a storage commit and the index commit costs a rebuild, never stale hits.
 */
public interface SearchIndex extends AutoCloseable {

  /** {@link #committedSeq()} of an index that holds no labelled commit. */
  long NO_SEQ = -1;

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

  /**
   * Both rankings of a hybrid search: {@link #dense} and {@link #sparse} of the same query, each of
   * {@code n} hits. An index may run the two at once; this default runs them one after the other.
   */
  default Rankings hybrid(MemoryQuery query, float[] vector, int n) {
    List<MemoryHit> dense = dense(query, vector, n);
    return new Rankings(dense, sparse(query, n));
  }

  /** The two rankings of {@link #hybrid}, each best first. */
  record Rankings(List<MemoryHit> dense, List<MemoryHit> sparse) {
    /** Copies both lists. */
    public Rankings {
      dense = List.copyOf(dense);
      sparse = List.copyOf(sparse);
    }
  }

  /** How many items the index holds. */
  int size();

  /**
   * Makes the changes so far durable (for an index kept on disk) and labels them with {@code seq},
   * the number of the last storage change they include; from then on {@link #committedSeq()}
   * returns {@code seq}, after a reopen too.
   *
   * @param seq the storage's change number, at least 0
   */
  void commit(long seq);

  /**
   * The label of the last {@link #commit(long)} this index holds: after a reopen, that of the last
   * commit that reached the disk. {@link #NO_SEQ} when there is none (a new index, one in memory
   * that was never committed, or one written before commits were labelled).
   */
  long committedSeq();

  @Override
  void close();
}
