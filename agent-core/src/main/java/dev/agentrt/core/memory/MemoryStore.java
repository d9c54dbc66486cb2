package dev.agentrt.core.memory;

import java.util.List;
import java.util.Optional;

/**
 * Items of memory, kept per {@link MemorySpace} and found by key or by search. The runtime's store
 * ({@code AgentRuntime.memory()}) routes each scope to the backend {@code config.yml} names; a
 * backend implements this interface for the scopes given to it.
 *
 * <p>Implementations are thread-safe; a write is durable when the method returns. Searches are
 * deterministic: the same items and query give the same hits in the same order.
 *
 * @since 0.1
 */
public interface MemoryStore extends AutoCloseable {

  /**
   * A store that has no memory: every operation throws a {@link MemoryException} with {@code why}
   * (which says how to set memory up); closing it does nothing.
   */
  static MemoryStore unavailable(String why) {
    return new UnavailableMemory(why);
  }

  /**
   * Writes {@code write} into {@code space}: creates the key or replaces its text, metadata and
   * tags (keeping its creation time). Then applies the scope's {@code max_items}, deleting the
   * oldest items beyond it.
   *
   * @return the item as stored
   * @throws MemoryException when the write cannot be stored (nothing is half-written)
   */
  MemoryItem put(MemorySpace space, MemoryWrite write);

  /**
   * Writes many items into {@code space} as {@link #put} does, in order (a key written twice keeps
   * its last write). A backend may embed the texts in batches and store them in one transaction;
   * the default calls {@link #put} for each.
   *
   * @return the items as stored, in the order of {@code writes}
   * @throws MemoryException when the writes cannot be stored
   * @since 0.1
   */
  default List<MemoryItem> putAll(MemorySpace space, List<MemoryWrite> writes) {
    List<MemoryItem> out = new java.util.ArrayList<>(writes.size());
    for (MemoryWrite w : writes) out.add(put(space, w));
    return out;
  }

  /** The item under {@code key} in {@code space}, if any. */
  Optional<MemoryItem> get(MemorySpace space, String key);

  /** Deletes the item under {@code key}; returns whether there was one. */
  boolean delete(MemorySpace space, String key);

  /**
   * The best hits for {@code query}, at most {@code query.k()}, best first.
   *
   * @throws MemoryException when the mode needs an {@link Embedder} and there is none, or a stored
   *     vector comes from another model than the current one
   */
  List<MemoryHit> search(MemoryQuery query);

  /**
   * Applies retention now: deletes items older than each scope's {@code max_age} and the oldest
   * beyond its {@code max_items}.
   *
   * @return how many items were deleted
   */
  int prune();

  /**
   * Embeds again, with the current {@link Embedder}, every item whose vector is missing or comes
   * from another model (or dimension): after the embedding model changed, dense and hybrid search
   * refuse to compare vectors of two models until this ran. Texts, metadata, tags and times stay as
   * they are.
   *
   * @return how many items were embedded
   * @throws MemoryException when there is no embedder, or this store cannot re-embed (the default)
   * @since 0.1
   */
  default int reembed() {
    throw new MemoryException(getClass().getName() + " cannot re-embed its items");
  }

  /** Releases files and connections; further calls fail. */
  @Override
  void close();
}
