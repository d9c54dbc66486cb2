package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document read into a JSON tree, with the line and column of every value indexed by its
 * JSON pointer, so that any later error can point into the file.
 */
final class LocatedTree {
  final @Nullable JsonNode root;
  private final Map<String, int[]> locations;

  private LocatedTree(@Nullable JsonNode root, Map<String, int[]> locations) {
    this.root = root;
    this.locations = locations;
  }

  /** The line and column of the value at {@code pointer}, or of its nearest located ancestor. */
  int[] locate(String pointer) {
    String p = pointer;
    while (true) {
      int[] loc = locations.get(p);
      if (loc != null) return loc;
      if (p.isEmpty()) return new int[] {1, 1};
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** Whether the file has a value at exactly {@code pointer}. */
  boolean has(String pointer) {
    return locations.containsKey(pointer);
  }

  /**
   * Reads {@code text}. Duplicate keys are reported to {@code duplicates} as pointers and the
   * later value wins.
   *
   * @throws YamlSyntaxException with line and column if the YAML is malformed
   */
  static LocatedTree read(String text, List<String> duplicates) {
    Map<String, int[]> locations = new HashMap<>();
    try (JsonParser p = Json.YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) return new LocatedTree(null, locations);
      JsonNode root = readValue(p, "", locations, duplicates);
      return new LocatedTree(root, locations);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null && m.getProblem() != null) {
        // snakeyaml's own parts: the problem at its mark, and what was being parsed where
        String context = m.getContext() == null || m.getContextMark() == null ? ""
            : " (" + m.getContext() + " that starts at line " + (m.getContextMark().getLine() + 1) + ", column "
                + (m.getContextMark().getColumn() + 1) + ")";
        throw new YamlSyntaxException(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1,
            m.getProblem().replace('\n', ' ').trim() + context);
      }
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage();
      int cut = msg.indexOf("\n at [Source");
      if (cut >= 0) msg = msg.substring(0, cut);
      throw new YamlSyntaxException(loc == null ? 1 : loc.getLineNr(), loc == null ? 1 : loc.getColumnNr(),
          msg.replace('\n', ' ').trim());
    } catch (IOException e) {
      throw new YamlSyntaxException(1, 1, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static JsonNode readValue(JsonParser p, String pointer, Map<String, int[]> locations, List<String> duplicates)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    locations.put(pointer, new int[] {loc.getLineNr(), loc.getColumnNr()});
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = Json.NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = pointer + "/" + escape(name);
          p.nextToken();
          JsonNode value = readValue(p, child, locations, duplicates);
          if (o.has(name)) duplicates.add(child);
          o.set(name, value);
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = Json.NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(readValue(p, pointer + "/" + i++, locations, duplicates));
        }
        return a;
      }
      case VALUE_STRING:
        return Json.NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT: return Json.NODES.numberNode(p.getIntValue());
          case LONG: return Json.NODES.numberNode(p.getLongValue());
          default: return Json.NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return Json.NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
      case VALUE_FALSE: {
        // YAML 1.2 core schema: only true/false are booleans; yes/no/on/off stay strings, so that
        // `when: yes` matches a route value "yes"
        String raw = p.getText();
        if (raw != null && !raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
          return Json.NODES.textNode(raw);
        }
        return Json.NODES.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL:
        return Json.NODES.nullNode();
      default:
        // embedded objects (binary) are not part of our format
        return Json.NODES.textNode(p.getText());
    }
  }

  /** Malformed YAML. */
  static final class YamlSyntaxException extends RuntimeException {
    final int line;
    final int column;

    YamlSyntaxException(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** All pointers that have a location, for tests. */
  List<String> pointers() {
    return new ArrayList<>(locations.keySet());
  }
}
