package dev.agentrt.core.memory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which items a search may return: every condition must hold.
 *
 * <ul>
 *   <li>{@code metadata}: for each field, the item's top-level metadata field, as text (a JSON
 *       string's value, or a number's or boolean's JSON text), is one of the listed values ({@code
 *       field = value} is a list of one);
 *   <li>{@code tags}: the item carries every tag listed.
 * </ul>
 *
 * @param metadata allowed values per metadata field
 * @param tags tags the item must carry
 * @since 0.1
 */
public record MemoryFilter(Map<String, Set<String>> metadata, Set<String> tags) {
  /** No condition: every item passes. */
  public static final MemoryFilter NONE = new MemoryFilter(Map.of(), Set.of());

  /** Checks and copies the arguments (fields in sorted order). */
  public MemoryFilter {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(tags, "tags");
    Map<String, Set<String>> copy = new TreeMap<>();
    metadata.forEach(
        (field, values) -> {
          if (values.isEmpty())
            throw new IllegalArgumentException(
                "filter on '" + field + "' lists no value: no item could pass");
          copy.put(field, Set.copyOf(values));
        });
    metadata = java.util.Collections.unmodifiableMap(copy);
    tags = Set.copyOf(tags);
  }

  /** This filter and {@code field = value}. */
  public MemoryFilter eq(String field, String value) {
    return in(field, List.of(value));
  }

  /** This filter and {@code field in values}. */
  public MemoryFilter in(String field, List<String> values) {
    Map<String, Set<String>> m = new TreeMap<>(metadata);
    m.put(field, Set.copyOf(values));
    return new MemoryFilter(m, tags);
  }

  /** This filter and "carries {@code tag}". */
  public MemoryFilter tag(String tag) {
    Set<String> t = new java.util.HashSet<>(tags);
    t.add(tag);
    return new MemoryFilter(metadata, t);
  }

  /** Whether the filter has no condition. */
  public boolean isEmpty() {
    return metadata.isEmpty() && tags.isEmpty();
  }
}
