package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.agentrt.core.spi.JsonSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An agent's {@code output.schema}, compiled once (networknt, draft 2020-12, as agent-tools does).
 */
final class OutputSchema {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(com.networknt.schema.PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();

  private final JsonSchema schema;

  private OutputSchema(JsonSchema schema) {
    this.schema = schema;
  }

  /**
   * @throws IllegalArgumentException if {@code schema} is not a valid JSON Schema
   */
  static OutputSchema compile(JsonNode schema) {
    List<JsonSchemas.Problem> problems = JsonSchemas.problems(schema);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "output.schema is not a valid JSON Schema (draft 2020-12): "
              + problems.stream()
                  .map(JsonSchemas.Problem::toString)
                  .collect(java.util.stream.Collectors.joining("; ")));
    }
    try {
      JsonSchema s = FACTORY.getSchema(schema, CONFIG);
      s.initializeValidators();
      return new OutputSchema(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "output.schema is not a valid JSON Schema: " + e.getMessage(), e);
    }
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
