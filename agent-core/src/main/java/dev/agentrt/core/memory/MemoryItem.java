package dev.agentrt.core.memory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One stored item of memory.
 *
 * @param space where it lives
 * @param key its key, unique in the space
 * @param text the text that is searched and shown to agents
 * @param metadata a JSON object, filterable by its top-level fields
 * @param tags labels, filterable
 * @param created when the key was first written
 * @param updated when it was last written
 * @since 0.1
 */
public record MemoryItem(
    MemorySpace space,
    String key,
    String text,
    ObjectNode metadata,
    List<String> tags,
    Instant created,
    Instant updated) {

  /** Checks and copies the arguments. */
  public MemoryItem {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
