package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.memory.internal.search.LuceneSearchIndex;
import dev.agentrt.memory.internal.search.SearchIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Opens the {@link SearchIndex} of a memory backend. The backend keeps its items durably and
 * re-feeds the index from them when the index's last commit label ({@link
 * SearchIndex#committedSeq()}) differs from storage's change number (or its size from the item
 * count), so an index may live in memory or on disk.
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
   * The index the backends discovered by {@link java.util.ServiceLoader} use: a Lucene index (BM25
   * and HNSW) on disk in {@code dir}; {@code empty} deletes what the directory holds first.
   */
  static SearchIndexFactory defaultFactory() {
    return (dir, empty) -> {
      try {
        if (empty && Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
          }
        }
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new MemoryException(dir + ": cannot prepare the search index: " + e.getMessage(), e);
      }
      return LuceneSearchIndex.open(dir);
    };
  }
}
