package dev.agentrt.bench;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * agent-memory's Lucene search index (BM25 + HNSW in one index, on disk):
 *
 * <ul>
 *   <li>{@code hybrid}: one hybrid search of an index of {@code size} items (generated text, unit
 *       vectors of {@code dim} dimensions shaped like sentence embeddings, see {@link
 *       MemoryCorpus}) with the query vector supplied: the sparse and the dense ranking ({@code k ×
 *       rerank_factor} = 40 candidates each) and their RRF fusion into 10 hits, as a memory store
 *       runs it (the two rankings at once, the sparse one on the index's pool); query embedding
 *       excluded. Sampled, so JMH reports p50, p90, p99. {@code hybridSequential} runs the two
 *       rankings one after the other on one thread; {@code sparse} and {@code dense} time each
 *       ranking alone.
 *   <li>{@code put}: items upserted into a fresh on-disk index per iteration, vectors supplied,
 *       {@value #BATCH} per invocation; score in items/s (flushes and merges included, commit not).
 * </ul>
 *
 * <p>The {@code size}-item index is built by the first trial into {@code
 * java.io.tmpdir/agentrt-memory-bench-SIZE-DIM} and reused by later ones (delete it to rebuild);
 * its build time, size on disk and the heap it holds are printed at every trial's start.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MemorySearchBenchmark {
  static final int BATCH = 1000;

  /** The index of {@code size} items and the queries. */
  @State(Scope.Benchmark)
  public static class Indexed {
    @Param({"100000"})
    int size;

    @Param({"384"})
    int dim;

    Path dir;
    MemoryIndexes index;
    MemoryQuery[] queries;
    float[][] vectors;
    int next;

    @Setup(Level.Trial)
    public void build() throws Exception {
      // one index per (size, dim), built by the first trial and reused by the next ones (each
      // benchmark method runs in its own JVM): delete the directory to rebuild
      dir =
          Path.of(System.getProperty("java.io.tmpdir"), "agentrt-memory-bench-" + size + "-" + dim);
      Path built = dir.resolve("built.txt");
      MemoryCorpus corpus = new MemoryCorpus(42, dim);
      if (!Files.exists(built)) {
        if (Files.exists(dir)) MemoryCorpus.delete(dir);
        MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        long t0 = System.nanoTime();
        try (MemoryIndexes fresh = MemoryIndexes.open(dir)) {
          for (int i = 0; i < size; i++) fresh.upsert(corpus.item(i), corpus.vector());
          fresh.commit();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long disk = MemoryCorpus.directorySize(dir);
        String report =
            String.format(
                Locale.ROOT,
                "%,d items x %d dims: built in %.1f s (%,.0f items/s), %,.1f MB on disk (%,.0f"
                    + " bytes/item)",
                size,
                dim,
                seconds,
                size / seconds,
                disk / 1e6,
                (double) disk / size);
        Files.writeString(built, report);
        corpus = new MemoryCorpus(42, dim);
        long before = usedHeap(heap);
        index = MemoryIndexes.open(dir);
        index.sparse(MemoryQuery.of("ka", MemoryCorpus.SPACE), 1); // opens the reader
        long held = usedHeap(heap) - before;
        Files.writeString(
            built,
            report + String.format(Locale.ROOT, ", heap held %,.1f MB (reader open)", held / 1e6));
      } else {
        index = MemoryIndexes.open(dir);
      }
      System.out.printf("%n[memory index] %s%n", Files.readString(built));
      // queries from a corpus generator in another state than the items'
      corpus = new MemoryCorpus(4242, dim);
      queries = new MemoryQuery[256];
      vectors = new float[256][];
      for (int q = 0; q < queries.length; q++) {
        queries[q] = MemoryQuery.of(corpus.text(3 + q % 3), MemoryCorpus.SPACE);
        vectors[q] = corpus.vector();
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      index.close();
    }
  }

  /** A fresh on-disk index per iteration, and the items to put. */
  @State(Scope.Benchmark)
  public static class Fresh {
    @Param({"384"})
    int dim;

    Path dir;
    MemoryIndexes index;
    MemoryCorpus corpus;
    int next;

    @Setup(Level.Iteration)
    public void open() throws Exception {
      dir = Files.createTempDirectory("agentrt-memory-put");
      index = MemoryIndexes.open(dir);
      corpus = new MemoryCorpus(7, dim);
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() {
      index.close();
      MemoryCorpus.delete(dir);
    }
  }

  /** Items and vectors generated ahead of {@link #put}, so that it measures only the index. */
  @State(Scope.Thread)
  public static class Batch {
    MemoryItem[] items = new MemoryItem[BATCH];
    float[][] vectors = new float[BATCH][];
    private int base;

    @Setup(Level.Invocation)
    public void generate(Fresh fresh) {
      for (int i = 0; i < BATCH; i++) {
        items[i] = fresh.corpus.item(base + i);
        vectors[i] = fresh.corpus.vector();
      }
      base += BATCH;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<MemoryHit> hybrid(Indexed s) {
    int q = s.next++ & (s.queries.length - 1);
    MemoryQuery query = s.queries[q];
    int n = query.k() * query.rerankFactor();
    List<List<MemoryHit>> both = s.index.hybrid(query, s.vectors[q], n);
    return query.fusion().fuse(both.get(0), both.get(1), query.k());
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<MemoryHit> hybridSequential(Indexed s) {
    int q = s.next++ & (s.queries.length - 1);
    MemoryQuery query = s.queries[q];
    int n = query.k() * query.rerankFactor();
    List<MemoryHit> dense = s.index.dense(query, s.vectors[q], n);
    List<MemoryHit> sparse = s.index.sparse(query, n);
    return query.fusion().fuse(dense, sparse, query.k());
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<MemoryHit> sparse(Indexed s) {
    MemoryQuery query = s.queries[s.next++ & (s.queries.length - 1)];
    return s.index.sparse(query, query.k() * query.rerankFactor());
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<MemoryHit> dense(Indexed s) {
    int q = s.next++ & (s.queries.length - 1);
    MemoryQuery query = s.queries[q];
    return s.index.dense(query, s.vectors[q], query.k() * query.rerankFactor());
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void put(Fresh fresh, Batch batch) {
    for (int i = 0; i < BATCH; i++) fresh.index.upsert(batch.items[i], batch.vectors[i]);
  }

  static long usedHeap(MemoryMXBean heap) {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      least = Math.min(least, heap.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
