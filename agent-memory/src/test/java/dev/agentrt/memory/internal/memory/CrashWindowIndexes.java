package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.memory.internal.search.SearchIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Opens the backends' default on-disk Lucene indexes with test hooks into the window between a
 * storage commit and the index commit, which the backends only ever cross in that order: {@link
 * #cut} drops every change and commit the index is told of (the index stays as it was last
 * committed, as after a crash in that window), {@link #failNext} makes the next upsert or delete
 * throw, {@link #haltOnChange} halts the JVM when the index is told of a change. Counts rebuilds
 * and commits.
 */
final class CrashWindowIndexes implements SearchIndexFactory {
  private final SearchIndexFactory lucene = SearchIndexFactory.defaultFactory();

  /** Drop changes and commits: storage moves on, the index does not. */
  volatile boolean cut;

  /** Throw from the next upsert or delete. */
  volatile boolean failNext;

  /** Halt the JVM (status 0) when the index is told of the next change (storage has it). */
  volatile boolean haltOnChange;

  /** How many times an index was opened empty, to be rebuilt from storage. */
  final AtomicInteger rebuilds = new AtomicInteger();

  /** How many commits reached the indexes. */
  final AtomicInteger commits = new AtomicInteger();

  @Override
  public SearchIndex open(Path dir, boolean empty) {
    if (empty) rebuilds.incrementAndGet();
    return new Hooked(lucene.open(dir, empty));
  }

  private void maybeFail() {
    if (haltOnChange) {
      System.out.println("halting before the index holds the change");
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
    if (failNext) {
      failNext = false;
      throw new IllegalStateException("index write failed (test)");
    }
  }

  private final class Hooked implements SearchIndex {
    private final SearchIndex delegate;

    Hooked(SearchIndex delegate) {
      this.delegate = delegate;
    }

    @Override
    public void upsert(MemoryItem item, float @Nullable [] vector) {
      maybeFail();
      if (!cut) delegate.upsert(item, vector);
    }

    @Override
    public void delete(MemorySpace space, String key) {
      maybeFail();
      if (!cut) delegate.delete(space, key);
    }

    @Override
    public List<MemoryHit> sparse(MemoryQuery query, int n) {
      return delegate.sparse(query, n);
    }

    @Override
    public List<MemoryHit> dense(MemoryQuery query, float[] vector, int n) {
      return delegate.dense(query, vector, n);
    }

    @Override
    public int size() {
      return delegate.size();
    }

    @Override
    public void commit(long seq) {
      if (cut) return;
      delegate.commit(seq);
      commits.incrementAndGet();
    }

    @Override
    public long committedSeq() {
      return delegate.committedSeq();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
