package dev.agentrt.bench;

import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.embeddings.MiniLmEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The in-process all-MiniLM-L6-v2 (quantized) embedder of agent-embeddings:
 *
 * <ul>
 *   <li>{@code embedQuery}: one short query (4–6 words) embedded, sampled (p50, p99);
 *   <li>{@code embedBatch}: a batch of {@value #BATCH} item texts (12–40 words) embedded on {@code
 *       threads} threads; score in items/s;
 *   <li>{@code embedAndPut}: the same batch embedded and upserted into an in-memory search index;
 *       score in items/s.
 * </ul>
 *
 * <p>The texts are random sequences of common English words (one word piece each), so a 12–40 word
 * item is about 14–42 tokens with the start and end markers. Made-up words, as the search
 * benchmark's texts, split into several word pieces each: batches of those embedded about ten times
 * slower (67 items/s measured).
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MemoryEmbedBenchmark {
  static final int BATCH = 64;

  /** The embedder, its threads and the texts. */
  @State(Scope.Benchmark)
  public static class Model {
    @Param({"2"})
    int threads;

    ExecutorService pool;
    MiniLmEmbedder embedder;
    MiniLmEmbedder single;
    List<String> queries = new ArrayList<>();
    List<List<MemoryItem>> batches = new ArrayList<>();
    MemoryIndexes index;
    int nextQuery;
    int nextBatch;

    @Setup(Level.Trial)
    public void load() {
      pool = Executors.newFixedThreadPool(threads);
      embedder = new MiniLmEmbedder(pool);
      single = new MiniLmEmbedder();
      MemoryCorpus corpus = new MemoryCorpus(3, 384);
      for (int i = 0; i < 256; i++) queries.add(corpus.english(4 + i % 3));
      for (int b = 0; b < 16; b++) {
        List<MemoryItem> batch = new ArrayList<>();
        for (MemoryItem item : MemoryCorpus.items(corpus, b * BATCH, BATCH)) {
          String text = corpus.english(12 + corpus.nextInt(29));
          batch.add(
              new MemoryItem(
                  item.space(),
                  item.key(),
                  text,
                  item.metadata(),
                  item.tags(),
                  item.created(),
                  item.updated()));
        }
        batches.add(batch);
      }
      index = MemoryIndexes.inMemory();
      single.embed("warm up the model");
    }

    @TearDown(Level.Trial)
    public void close() {
      index.close();
      pool.shutdownNow();
    }

    List<MemoryItem> batch() {
      return batches.get(nextBatch++ & (batches.size() - 1));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public float[] embedQuery(Model m) {
    return m.single.embed(m.queries.get(m.nextQuery++ & 255));
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public List<float[]> embedBatch(Model m) {
    return m.embedder.embed(texts(m.batch()));
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void embedAndPut(Model m) {
    List<MemoryItem> items = m.batch();
    List<float[]> vectors = m.embedder.embed(texts(items));
    for (int i = 0; i < items.size(); i++) m.index.upsert(items.get(i), vectors.get(i));
  }

  private static List<String> texts(List<MemoryItem> items) {
    List<String> texts = new ArrayList<>(items.size());
    for (MemoryItem item : items) texts.add(item.text());
    return texts;
  }
}
