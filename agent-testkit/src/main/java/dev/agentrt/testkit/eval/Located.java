package dev.agentrt.testkit.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** A YAML document read into a tree, with the line and column of each value and key by pointer. */
final class Located {
  private static final YAMLFactory YAML = new YAMLFactory();

  final JsonNode root;
  private final Map<String, int[]> values = new HashMap<>();
  private final Map<String, int[]> keys = new HashMap<>();

  private Located(String text) throws IOException {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      root = t == null ? JsonNodeFactory.instance.nullNode() : read(p, "");
    }
  }

  static Located parse(String text) throws IOException {
    return new Located(text);
  }

  /** {@code line:col} of the value at {@code pointer}, or of the nearest enclosing value. */
  String at(String pointer) {
    String p = pointer;
    while (true) {
      int[] lc = values.get(p);
      if (lc != null) return lc[0] + ":" + lc[1];
      if (p.isEmpty()) return "1:1";
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** {@code line:col} of the key whose value is at {@code pointer}. */
  String keyAt(String pointer) {
    int[] lc = keys.get(pointer);
    return lc != null ? lc[0] + ":" + lc[1] : at(pointer);
  }

  private JsonNode read(JsonParser p, String pointer) throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    values.put(pointer, new int[] {loc.getLineNr(), loc.getColumnNr()});
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation kl = p.currentTokenLocation();
          String child = pointer + "/" + name;
          keys.put(child, new int[] {kl.getLineNr(), kl.getColumnNr()});
          p.nextToken();
          o.set(name, read(p, child));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) a.add(read(p, pointer + "/" + i++));
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return intNode(p);
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return f.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return f.booleanNode(false);
      }
      default -> {
        return f.nullNode();
      }
    }
  }

  private static JsonNode intNode(JsonParser p) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (p.getNumberType()) {
      case INT -> f.numberNode(p.getIntValue());
      case LONG -> f.numberNode(p.getLongValue());
      default -> f.numberNode(p.getBigIntegerValue());
    };
  }
}
