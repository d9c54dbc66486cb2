package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A workflow's {@code input.schema} (JSON Schema draft 2020-12), compiled on the workflow's first
 * run so that start-up does not pay for workflows that never run.
 */
final class InputSchema {
  private final String workflowId;
  private final JsonNode schemaNode;
  private volatile JsonSchema schema;

  InputSchema(String workflowId, JsonNode schemaNode) {
    this.workflowId = workflowId;
    this.schemaNode = schemaNode;
  }

  /** Throws {@link InvalidInputException} listing every mismatch of {@code input}. */
  void check(JsonNode input) {
    Set<ValidationMessage> messages = compiled().validate(input);
    if (messages.isEmpty()) return;
    List<String> problems = new ArrayList<>();
    for (ValidationMessage m : messages) {
      String location = m.getInstanceLocation().toString();
      String text = m.getMessage();
      int colon = text.indexOf(": ");
      String detail = colon >= 0 && text.startsWith(location) ? text.substring(colon + 2) : text;
      problems.add((location.isEmpty() ? "/" : location) + ": " + detail);
    }
    Collections.sort(problems);
    throw new InvalidInputException(workflowId, problems);
  }

  private JsonSchema compiled() {
    JsonSchema s = schema;
    if (s == null) {
      try {
        s =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                    schemaNode,
                    SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());
        s.initializeValidators();
      } catch (RuntimeException e) {
        throw new AgentrtException(
            "workflow '"
                + workflowId
                + "': input.schema is not a valid JSON Schema: "
                + e.getMessage(),
            e);
      }
      schema = s;
    }
    return s;
  }
}
