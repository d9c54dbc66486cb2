package dev.agentrt.core.memory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MemoryStore#put} writes: an idempotent upsert of {@code key} in a space. Writing the
 * same key again replaces text, metadata and tags and keeps the item's creation time.
 *
 * @param key the key, not blank, at most {@value #MAX_KEY_LENGTH} characters
 * @param text the text, at most {@value #MAX_TEXT_LENGTH} characters
 * @param metadata a JSON object (may be empty)
 * @param tags labels (may be empty)
 * @since 0.1
 */
public record MemoryWrite(String key, String text, ObjectNode metadata, List<String> tags) {
  /** The longest key accepted. */
  public static final int MAX_KEY_LENGTH = 512;

  /** The longest text accepted. */
  public static final int MAX_TEXT_LENGTH = 1_000_000;

  /** Checks and copies the arguments; a bad argument's message says what to change. */
  public MemoryWrite {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
    if (key.isBlank()) throw new IllegalArgumentException("a memory key must not be blank");
    if (key.length() > MAX_KEY_LENGTH)
      throw new IllegalArgumentException(
          "a memory key is at most " + MAX_KEY_LENGTH + " characters, got " + key.length());
    if (text.length() > MAX_TEXT_LENGTH)
      throw new IllegalArgumentException(
          "a memory text is at most " + MAX_TEXT_LENGTH + " characters, got " + text.length());
    metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    tags = tags == null ? List.of() : List.copyOf(tags);
    for (String t : tags) {
      if (t == null || t.isBlank())
        throw new IllegalArgumentException("a memory tag must not be null or blank");
    }
  }

  /** A write of {@code text} under {@code key}, with no metadata or tags. */
  public static MemoryWrite of(String key, String text) {
    return new MemoryWrite(key, text, null, null);
  }
}
