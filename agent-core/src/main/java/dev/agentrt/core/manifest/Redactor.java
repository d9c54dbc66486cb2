package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Removes known secrets (the credential values a configuration resolved, {@link
 * Manifests#redactor()}) from text and JSON, replacing each with a mask ({@value #MASK} unless
 * {@link #withMask} says otherwise). Optionally also removes matches of regular expressions ({@link
 * #withPatterns}), a policy layered on the secrets (telemetry uses it for API-key and token
 * shapes). Opaque: it tells whether text holds a secret, never what the secrets are.
 *
 * <p>Secrets shorter than {@value #MIN_SECRET_LENGTH} characters are ignored (masking every {@code
 * a} or {@code 12} would destroy the data without protecting anything). Secrets are replaced
 * longest first, so a secret containing another is masked whole; patterns are applied after the
 * secrets, in one pass. Immutable and thread-safe; returns its argument itself when nothing
 * matched, so the common case copies nothing.
 *
 * @since 0.1
 */
public final class Redactor {
  /** What a secret is replaced by unless {@link #withMask} says otherwise. */
  public static final String MASK = "****";

  /** Secrets shorter than this are not masked. */
  public static final int MIN_SECRET_LENGTH = 4;

  private static final Redactor NONE = new Redactor(List.of(), null, MASK);

  /** Longest first, then in natural order. */
  private final List<String> secrets;

  private final @Nullable Pattern patterns;
  private final String mask;

  private Redactor(List<String> secrets, @Nullable Pattern patterns, String mask) {
    this.secrets = secrets;
    this.patterns = patterns;
    this.mask = mask;
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return NONE;
  }

  /**
   * A redactor for the given secret values, matched literally; values shorter than the minimum are
   * ignored.
   */
  public static Redactor of(Collection<String> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    return NONE.and(secrets.stream());
  }

  /** This redactor plus the secrets of {@code other}, with this one's mask and patterns. */
  public Redactor and(Redactor other) {
    Objects.requireNonNull(other, "other");
    return other.secrets.isEmpty() ? this : and(other.secrets.stream());
  }

  /** This redactor plus the given secret values. */
  public Redactor and(Collection<String> moreSecrets) {
    Objects.requireNonNull(moreSecrets, "moreSecrets");
    return and(moreSecrets.stream());
  }

  private Redactor and(Stream<String> more) {
    List<String> s =
        Stream.concat(secrets.stream(), more.filter(Objects::nonNull))
            .filter(v -> v.length() >= MIN_SECRET_LENGTH)
            .distinct()
            .sorted(
                Comparator.comparingInt(String::length)
                    .reversed()
                    .thenComparing(Comparator.naturalOrder()))
            .toList();
    return s.equals(secrets) ? this : new Redactor(s, patterns, mask);
  }

  /** This redactor masking with {@code replacement} instead. */
  public Redactor withMask(String replacement) {
    Objects.requireNonNull(replacement, "replacement");
    return replacement.equals(mask) ? this : new Redactor(secrets, patterns, replacement);
  }

  /**
   * This redactor also masking every match of the given regular expressions (a match of none
   * characters masks nothing).
   *
   * @throws java.util.regex.PatternSyntaxException if one is not a valid regular expression
   */
  public Redactor withPatterns(List<String> regexes) {
    Objects.requireNonNull(regexes, "regexes");
    List<String> alternatives = new ArrayList<>();
    if (patterns != null) alternatives.add(patterns.pattern());
    for (String r : regexes) {
      Pattern.compile(r);
      alternatives.add("(?:" + r + ")");
    }
    if (alternatives.isEmpty()) return this;
    return new Redactor(secrets, Pattern.compile(String.join("|", alternatives)), mask);
  }

  /** Whether this redactor changes nothing at all (no secret, no pattern). */
  public boolean isEmpty() {
    return secrets.isEmpty() && patterns == null;
  }

  /**
   * {@code text} with every secret and pattern match masked; the same instance if nothing matched.
   */
  public String redact(String text) {
    Objects.requireNonNull(text, "text");
    String out = text;
    if (text.length() >= MIN_SECRET_LENGTH) {
      for (String s : secrets) {
        if (out.contains(s)) out = out.replace(s, mask);
      }
    }
    return patterns == null || out.isEmpty() ? out : redactPatterns(out);
  }

  /**
   * {@code map} with every value redacted as {@link #redact(String)} does; the same instance if
   * nothing matched.
   *
   * @since 0.1
   */
  public java.util.Map<String, String> redactValues(java.util.Map<String, String> map) {
    if (isEmpty() || map.isEmpty()) return map;
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    boolean changed = false;
    for (java.util.Map.Entry<String, String> e : map.entrySet()) {
      String v = redact(e.getValue());
      changed |= v != e.getValue();
      out.put(e.getKey(), v);
    }
    return changed ? out : map;
  }

  /** {@link #redact(String)}, passing null through. */
  public @Nullable String redactNullable(@Nullable String text) {
    return text == null ? null : redact(text);
  }

  private String redactPatterns(String text) {
    Matcher m = patterns.matcher(text);
    if (!m.find()) return text;
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    do {
      if (m.end() == m.start()) continue; // an empty match of a user pattern masks nothing
      sb.append(text, last, m.start()).append(mask);
      last = m.end();
    } while (m.find());
    if (last == 0) return text;
    return sb.append(text, last, text.length()).toString();
  }

  /** Whether {@code text} holds a secret or a pattern match. */
  public boolean matches(String text) {
    return !redact(text).equals(text);
  }

  /**
   * {@code node} with every secret masked in its strings and field names; the same instance if it
   * holds none. Walks the tree with an explicit stack, so any depth is safe.
   */
  public JsonNode redact(JsonNode node) {
    Objects.requireNonNull(node, "node");
    if (isEmpty() || !holdsSecret(node)) return node;
    if (!node.isContainerNode()) return leaf(node);
    JsonNode root = emptyLike(node);
    Deque<JsonNode[]> todo = new ArrayDeque<>();
    todo.push(new JsonNode[] {node, root});
    while (!todo.isEmpty()) {
      JsonNode[] f = todo.pop();
      if (f[0] instanceof ObjectNode from) {
        ObjectNode to = (ObjectNode) f[1];
        for (Map.Entry<String, JsonNode> e : from.properties()) {
          JsonNode v = e.getValue();
          JsonNode copy = v.isContainerNode() ? emptyLike(v) : leaf(v);
          to.set(redact(e.getKey()), copy);
          if (v.isContainerNode()) todo.push(new JsonNode[] {v, copy});
        }
      } else {
        ArrayNode to = (ArrayNode) f[1];
        for (JsonNode v : f[0]) {
          JsonNode copy = v.isContainerNode() ? emptyLike(v) : leaf(v);
          to.add(copy);
          if (v.isContainerNode()) todo.push(new JsonNode[] {v, copy});
        }
      }
    }
    return root;
  }

  private boolean holdsSecret(JsonNode node) {
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(node);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isTextual() && matches(n.asText())) return true;
      if (n.isObject()) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          if (matches(e.getKey())) return true;
          todo.push(e.getValue());
        }
      } else if (n.isArray()) {
        for (JsonNode c : n) todo.push(c);
      }
    }
    return false; // numbers, booleans, null; binary nodes are not produced by the engine
  }

  private JsonNode leaf(JsonNode n) {
    if (!n.isTextual()) return n;
    String t = n.asText();
    String r = redact(t);
    return r == t ? n : JsonNodeFactory.instance.textNode(r);
  }

  private static JsonNode emptyLike(JsonNode container) {
    return container.isObject()
        ? JsonNodeFactory.instance.objectNode()
        : JsonNodeFactory.instance.arrayNode(container.size());
  }

  /** Whether {@code o} masks the same secrets and patterns with the same mask. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Redactor r
        && r.secrets.equals(secrets)
        && r.mask.equals(mask)
        && Objects.equals(
            r.patterns == null ? null : r.patterns.pattern(),
            patterns == null ? null : patterns.pattern());
  }

  /** A hash of the number of secrets and the mask only, so it reveals nothing about the secrets. */
  @Override
  public int hashCode() {
    return Objects.hash(secrets.size(), mask, patterns == null ? null : patterns.pattern());
  }

  /** Says whether the redactor is empty, never what it masks. */
  @Override
  public String toString() {
    return "Redactor[" + (isEmpty() ? "empty" : "active") + "]";
  }
}
