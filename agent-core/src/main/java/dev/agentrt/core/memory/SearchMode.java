package dev.agentrt.core.memory;

import java.util.Locale;

/**
 * Which ranking a search uses.
 *
 * @since 0.1
 */
public enum SearchMode {
  /** Words: BM25 over the items' text. */
  SPARSE,
  /** Meaning: similarity of the embeddings of query and text. Needs an {@link Embedder}. */
  DENSE,
  /** Both, fused ({@link Fusion}). Needs an {@link Embedder}. */
  HYBRID;

  /** The name used in tool arguments and the CLI: {@code sparse}, {@code dense}, {@code hybrid}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code name}.
   *
   * @throws IllegalArgumentException naming the modes, for any other name
   */
  public static SearchMode parse(String name) {
    for (SearchMode m : values()) {
      if (m.configName().equals(name)) return m;
    }
    throw new IllegalArgumentException(
        "unknown search mode '" + name + "' (modes: sparse, dense, hybrid)");
  }
}
