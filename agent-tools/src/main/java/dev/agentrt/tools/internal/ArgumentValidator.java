package dev.agentrt.tools.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.agentrt.core.spi.ToolDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A tool's argument schema, compiled once (networknt json-schema-validator, draft 2020-12). */
public final class ArgumentValidator {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(com.networknt.schema.PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();

  private final JsonSchema schema;

  private ArgumentValidator(JsonSchema schema) {
    this.schema = schema;
  }

  /**
   * Compiles a tool's schema; throws IllegalArgumentException naming the tool if it is not a valid
   * schema.
   */
  public static ArgumentValidator compile(ToolDescriptor d) {
    try {
      JsonSchema s = FACTORY.getSchema(d.argumentSchema(), CONFIG);
      s.initializeValidators();
      return new ArgumentValidator(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "tool '"
              + d.name()
              + "': its argument schema is not a valid JSON Schema: "
              + e.getMessage(),
          e);
    }
  }

  /** What is wrong with {@code arguments}, one problem per clause, or null if they match. */
  public @Nullable String validate(JsonNode arguments) {
    if (!arguments.isObject())
      return "arguments must be a JSON object, got "
          + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    Set<ValidationMessage> msgs = schema.validate(arguments);
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
