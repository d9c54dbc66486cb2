package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that a JSON Schema in a manifest (a workflow's {@code input.schema}, an agent's {@code
 * output.schema}, a tool's argument schema) is one: valid against the draft 2020-12 meta-schema,
 * which ships with the validator (read from the classpath, no network). A misspelt type such as
 * {@code type: obj} is otherwise accepted by the validator and only surfaces when a value is
 * checked, after the run (or the model) has been paid for. Thread-safe.
 *
 * @since 0.1
 */
public final class JsonSchemas {
  private static final List<String> TYPES =
      List.of("array", "boolean", "integer", "null", "number", "object", "string");

  private JsonSchemas() {}

  /**
   * One way in which a schema breaks the meta-schema.
   *
   * @param pointer the JSON Pointer of the offending value inside the schema ({@code ""} for the
   *     schema itself), such as {@code /properties/a/type}
   * @param message what is wrong, such as {@code 'strin' is not a type (use one of: ...)}
   */
  public record Problem(String pointer, String message) {
    /** {@code /properties/a/type: message} ({@code /} for the schema itself). */
    @Override
    public String toString() {
      return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
  }

  /**
   * What makes {@code schema} break the draft 2020-12 meta-schema, one problem per location, sorted
   * by location.
   *
   * @return the problems, empty if {@code schema} is a valid JSON Schema
   */
  public static List<Problem> problems(JsonNode schema) {
    Map<String, String> byPath = new TreeMap<>();
    for (ValidationMessage m : Meta.SCHEMA.validate(schema)) {
      String path = m.getInstanceLocation().toString();
      String where = path;
      JsonNode value = m.getInstanceNode();
      if (path.equals("/type") || path.endsWith("/type") || path.matches(".*/type/\\d+")) {
        // 'type' is "one of the names, or an array of them": the meta-schema's anyOf says it three
        // ways
        if (value != null && (value.isTextual() || value.isArray())) {
          byPath.put(where, typeProblem(value));
          continue;
        }
      }
      String text = m.getMessage();
      if (text.startsWith(path + ": ")) text = text.substring(path.length() + 2);
      byPath.merge(where, text, (a, b) -> a.equals(b) ? a : a + ", or " + b);
    }
    List<Problem> out = new ArrayList<>();
    for (Map.Entry<String, String> e : byPath.entrySet())
      out.add(new Problem(e.getKey(), e.getValue()));
    return out;
  }

  private static String typeProblem(JsonNode value) {
    List<String> bad = new ArrayList<>();
    if (value.isTextual()) bad.add(value.asText());
    for (JsonNode v : value) if (!TYPES.contains(v.asText())) bad.add(v.asText());
    if (bad.isEmpty()) bad.add(value.toString());
    return "'"
        + String.join("', '", bad)
        + "' is not a type (use one of: "
        + String.join(", ", TYPES)
        + ")";
  }

  /** The meta-schema, loaded on first use (holder idiom: start-up pays nothing without schemas). */
  private static final class Meta {
    static final JsonSchema SCHEMA = load();

    private static JsonSchema load() {
      JsonSchema s =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(
                  SchemaLocation.of(SchemaId.V202012),
                  SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());
      s.initializeValidators();
      return s;
    }
  }
}
