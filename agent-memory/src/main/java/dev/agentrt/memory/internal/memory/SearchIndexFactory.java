package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.memory.internal.search.SearchIndex;
import java.nio.file.Path;

/**
 * Opens the {@link SearchIndex} of a memory backend. The backend keeps its items durably and
 * re-feeds the index from them when the index's size differs from its item count, so an index may
 * live in memory or on disk.
 */
@FunctionalInterface
public interface SearchIndexFactory {

  /**
   * Opens the index kept in {@code dir} (created if absent; an index in memory ignores it).
   *
   * @param dir the directory the index may keep its files in
   * @param empty whether to discard what the directory holds and start empty (the backend then
   *     feeds it every item)
   * @throws MemoryException when it cannot be opened
   */
  SearchIndex open(Path dir, boolean empty);

  /**
   * The index the backends discovered by {@link java.util.ServiceLoader} use. INTEGRATION POINT:
   * the on-disk Lucene index ({@code internal.search}) plugs in here.
   */
  static SearchIndexFactory defaultFactory() {
    return (dir, empty) -> {
      throw new MemoryException(
          "agent-memory has no search index in this build (internal: plug the Lucene"
              + " SearchIndex into SearchIndexFactory.defaultFactory())");
    };
  }
}
