package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.function.Function;

/** A dot-path into run state ({@code plan.items.0.name}), parsed once. */
public final class StatePath {
  final String text;
  final String root;
  private final String[] rest;
  private final int[] indexes;

  private StatePath(String text, String[] segments) {
    this.text = text;
    this.root = segments[0];
    this.rest = new String[segments.length - 1];
    this.indexes = new int[segments.length - 1];
    for (int i = 1; i < segments.length; i++) {
      rest[i - 1] = segments[i];
      indexes[i - 1] = parseIndex(segments[i]);
    }
  }

  /** Parses a path; throws IllegalArgumentException with a readable message if malformed. */
  public static StatePath parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) throw new IllegalArgumentException("empty path");
    String[] segments = t.split("\\.", -1);
    for (String s : segments) {
      if (s.isEmpty()) throw new IllegalArgumentException("path '" + t + "' has an empty segment");
    }
    return new StatePath(t, segments);
  }

  /** Reads the path; {@code roots} gives the value of the first segment. Missing: MissingNode. */
  public JsonNode read(Function<String, JsonNode> roots) {
    return readFrom(roots.apply(root));
  }

  /** Reads the segments after the first from {@code value}. */
  JsonNode readFrom(JsonNode value) {
    JsonNode v = value;
    for (int i = 0; i < rest.length && !v.isMissingNode(); i++) {
      if (v.isArray() && indexes[i] >= 0) {
        v = v.path(indexes[i]);
      } else if (v.isObject()) {
        v = v.path(rest[i]);
      } else {
        return MissingNode.getInstance();
      }
    }
    return v;
  }

  /** Reads this path as a sub-path of {@code value}: every segment, the first included. */
  public JsonNode readRelative(JsonNode value) {
    JsonNode first =
        value.isArray() && parseIndex(root) >= 0 ? value.path(parseIndex(root)) : value.path(root);
    return readFrom(first);
  }

  private static int parseIndex(String s) {
    if (s.isEmpty() || s.length() > 9) return -1;
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) return -1;
    }
    return Integer.parseInt(s);
  }

  @Override
  public String toString() {
    return text;
  }
}
