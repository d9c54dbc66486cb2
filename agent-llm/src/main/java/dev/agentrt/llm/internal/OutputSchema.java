package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An agent's {@code output.schema}, compiled once (networknt, draft 2020-12, as agent-tools does). */
final class OutputSchema {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .pathType(com.networknt.schema.PathType.JSON_POINTER).formatAssertionsEnabled(true).build();

  private final JsonSchema schema;

  private OutputSchema(JsonSchema schema) {
    this.schema = schema;
  }

  /** @throws IllegalArgumentException if {@code schema} is not a valid JSON Schema */
  static OutputSchema compile(JsonNode schema) {
    List<String> problems = check(schema);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("output.schema is not a valid JSON Schema (draft 2020-12): "
          + String.join("; ", problems));
    }
    try {
      JsonSchema s = FACTORY.getSchema(schema, CONFIG);
      s.initializeValidators();
      return new OutputSchema(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("output.schema is not a valid JSON Schema: " + e.getMessage(), e);
    }
  }

  /**
   * What makes {@code schema} break the draft 2020-12 meta-schema (bundled with the validator, read
   * from the classpath), one line per keyword, sorted; empty if nothing. A misspelt type such as
   * {@code type: obj} is otherwise accepted and only fails once the model has answered.
   */
  static List<String> check(JsonNode schema) {
    Set<ValidationMessage> msgs = meta().validate(schema);
    Map<String, String> byPath = new TreeMap<>();
    for (ValidationMessage m : msgs) {
      String path = m.getInstanceLocation().toString();
      String where = path.isEmpty() ? "/" : path;
      JsonNode value = m.getInstanceNode();
      if (path.endsWith("/type") || path.equals("/type") || (path.matches(".*/type/\\d+"))) {
        // 'type' is "one of the names, or an array of them": the anyOf branches say it three ways
        if (value != null && (value.isTextual() || value.isArray())) {
          byPath.put(where, typeProblem(value));
          continue;
        }
      }
      String text = m.getMessage();
      if (text.startsWith(path + ": ")) text = text.substring(path.length() + 2);
      byPath.merge(where, text, (a, b) -> a.equals(b) ? a : a + ", or " + b);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : byPath.entrySet()) out.add(e.getKey() + ": " + e.getValue());
    return out;
  }

  private static String typeProblem(JsonNode value) {
    List<String> bad = new ArrayList<>();
    if (value.isTextual()) bad.add(value.asText());
    for (JsonNode v : value) if (!TYPES.contains(v.asText())) bad.add(v.asText());
    if (bad.isEmpty()) bad.add(value.toString());
    return "'" + String.join("', '", bad) + "' is not a type (use one of: " + String.join(", ", TYPES) + ")";
  }

  private static final List<String> TYPES = List.of("array", "boolean", "integer", "null", "number", "object", "string");

  private static volatile @Nullable JsonSchema meta;

  private static JsonSchema meta() {
    JsonSchema m = meta;
    if (m == null) {
      m = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
      m.initializeValidators();
      meta = m;
    }
    return m;
  }

  /** What is wrong with {@code value}, one problem per clause, sorted; null if it matches. */
  @Nullable String validate(JsonNode value) {
    Set<ValidationMessage> msgs = schema.validate(value);
    if (msgs.isEmpty()) return null;
    List<String> l = new ArrayList<>();
    for (ValidationMessage m : msgs) {
      String text = m.getMessage();
      l.add(text.startsWith(": ") ? text.substring(2) : text);
    }
    Collections.sort(l);
    return String.join("; ", l);
  }
}
