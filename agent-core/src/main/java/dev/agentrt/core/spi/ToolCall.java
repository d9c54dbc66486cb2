package dev.agentrt.core.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One call of a tool, as the tool sees it. The ToolBus has already checked permissions and
 * validated {@link #arguments()} against the tool's schema when it builds this.
 *
 * @param id the call's id, unique within a run ({@code <step key>:<index>}); for logs and errors
 * @param tool the tool's name
 * @param arguments the arguments object (read with {@link #arguments()}, a copy)
 * @param idempotencyKey stable across resume: {@code <run id>:<step key>:<call index>} (built by
 *     {@link IdempotencyKeys#ofCall}); pass it on to services that deduplicate requests (the {@code
 *     http} tool sends it as {@code Idempotency-Key})
 * @since 0.1
 */
public record ToolCall(String id, String tool, JsonNode arguments, String idempotencyKey) {

  /** Binds snake_case JSON names to camelCase record components, strictly. */
  private static final ObjectMapper BINDER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (!arguments.isObject()) {
      throw new IllegalArgumentException(
          "tool '" + tool + "': arguments must be a JSON object, got " + arguments.getNodeType());
    }
    arguments = arguments.deepCopy();
  }

  /** The arguments object: a copy, so a tool cannot change what is recorded. */
  @Override
  public JsonNode arguments() {
    return arguments.deepCopy();
  }

  /** One argument, or a {@code MissingNode}; a copy. */
  public JsonNode argument(String name) {
    return arguments.path(name).deepCopy();
  }

  /**
   * Binds the arguments to a record (or bean) whose schema produced the tool's argument schema.
   * JSON names are snake_case ({@code max_bytes} binds component {@code maxBytes}); unknown names
   * are an error.
   *
   * @throws IllegalArgumentException naming the argument that does not bind; the ToolBus turns it
   *     into a failure result the caller can read
   */
  public <R> R argumentsAs(Class<R> type) {
    Objects.requireNonNull(type, "type");
    try {
      return BINDER.treeToValue(arguments, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "tool '"
              + tool
              + "': arguments do not bind to "
              + type.getSimpleName()
              + ": "
              + reason(e),
          e);
    }
  }

  /** What did not bind, in the arguments' own names, without Jackson's advice to its users. */
  private static String reason(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      if (u.getKnownPropertyIds() != null) u.getKnownPropertyIds().forEach(k -> known.add("" + k));
      Collections.sort(known);
      return "unknown argument '"
          + u.getPropertyName()
          + "' (arguments: "
          + String.join(", ", known)
          + ")";
    }
    String where = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
        else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
      }
      where = b.toString();
    }
    String message = e.getOriginalMessage();
    int advice = message.indexOf(" (set DeserializationConfig");
    if (advice >= 0) message = message.substring(0, advice);
    if (message.startsWith("Cannot map `null` into type"))
      return "argument '" + where + "' is missing or null";
    return where.isEmpty() ? message : "argument '" + where + "': " + message;
  }
}
