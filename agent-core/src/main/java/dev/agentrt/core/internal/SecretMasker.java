package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Replaces known secret values with {@value #MASK} in text and in every string (values and field
 * names) of a JSON tree. Immutable and thread-safe. Returns its argument itself when nothing
 * matched, so the common case copies nothing.
 */
final class SecretMasker {
  /** What a secret is replaced by. */
  static final String MASK = "****";

  /**
   * Secrets shorter than this are not masked: masking every "a" or "12" would destroy the data
   * without protecting anything (the same rule as telemetry redaction).
   */
  static final int MIN_SECRET_LENGTH = 4;

  static final SecretMasker NONE = new SecretMasker(List.of());

  /** Longest first, so a secret containing another is masked whole. */
  private final List<String> secrets;

  private SecretMasker(List<String> secrets) {
    this.secrets = secrets;
  }

  static SecretMasker of(Collection<String> secrets) {
    List<String> s = secrets.stream().filter(v -> v.length() >= MIN_SECRET_LENGTH).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder())).toList();
    return s.isEmpty() ? NONE : new SecretMasker(s);
  }

  boolean isActive() {
    return !secrets.isEmpty();
  }

  /** {@code text} with every secret masked; the same instance if it holds none. */
  @Nullable String mask(@Nullable String text) {
    if (text == null || secrets.isEmpty() || text.length() < MIN_SECRET_LENGTH) return text;
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) out = out.replace(s, MASK);
    }
    return out;
  }

  /** Whether {@code text} holds a secret. */
  boolean contains(String text) {
    for (String s : secrets) {
      if (text.contains(s)) return true;
    }
    return false;
  }

  /** {@code node} with every secret masked in its strings and field names; the same instance if it holds none. */
  JsonNode mask(JsonNode node) {
    if (secrets.isEmpty() || !holdsSecret(node)) return node;
    return masked(node);
  }

  private boolean holdsSecret(JsonNode node) {
    if (node.isTextual()) return contains(node.asText());
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (contains(e.getKey()) || holdsSecret(e.getValue())) return true;
      }
      return false;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        if (holdsSecret(n)) return true;
      }
      return false;
    }
    return false; // numbers, booleans, null; binary nodes are not produced by the engine
  }

  private JsonNode masked(JsonNode node) {
    if (node.isTextual()) {
      String t = node.asText();
      String m = mask(t);
      return m == t ? node : Json.NODES.textNode(m);
    }
    if (node instanceof ObjectNode o) {
      ObjectNode out = Json.NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        out.set(mask(e.getKey()), masked(e.getValue()));
      }
      return out;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode out = Json.NODES.arrayNode(a.size());
      for (JsonNode n : a) out.add(masked(n));
      return out;
    }
    return node;
  }
}
