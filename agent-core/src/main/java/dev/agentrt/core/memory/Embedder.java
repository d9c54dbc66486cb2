package dev.agentrt.core.memory;

import java.util.List;

/**
 * Turns text into vectors for dense search. {@code agent-embeddings} provides the in-process
 * all-MiniLM-L6-v2 model; any LangChain4j {@code EmbeddingModel} can be adapted. Register one on
 * {@code AgentRuntime.builder().embedder(...)}, or put an implementation on the class path behind
 * {@code META-INF/services/dev.agentrt.core.memory.Embedder}.
 *
 * <p>Stores record {@link #model()} and {@link #dimension()} with every vector, so a changed model
 * is detected instead of mixing vectors of two models. Implementations are thread-safe and
 * deterministic: the same text gives the same vector.
 *
 * @since 0.1
 */
public interface Embedder {

  /** The model's name, recorded with each vector (for example {@code all-minilm-l6-v2-q}). */
  String model();

  /** The length of every vector. */
  int dimension();

  /**
   * The vectors of {@code texts}, in order, each of length {@link #dimension()} and unit length
   * (cosine similarity is their dot product).
   */
  List<float[]> embed(List<String> texts);

  /** The vector of one text. */
  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }
}
