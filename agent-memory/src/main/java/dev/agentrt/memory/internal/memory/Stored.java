package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemoryItem;
import org.jspecify.annotations.Nullable;

/**
 * An item as a backend keeps it: with the vector of its text and the model that computed it.
 *
 * @param item the item
 * @param vector its unit-length embedding, or null when it was stored without an embedder
 * @param model the embedding model's name, null exactly when {@code vector} is
 */
record Stored(MemoryItem item, float @Nullable [] vector, @Nullable String model) {

  /** {@code model/dimension}, or null without a vector. */
  @Nullable String modelKey() {
    return vector == null || model == null ? null : modelKey(model, vector.length);
  }

  static String modelKey(String model, int dimension) {
    return model + "/" + dimension;
  }
}
