package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link Tool} is: its name, what it does, the JSON Schema of its arguments, the permissions
 * it needs and its effect.
 *
 * @param name unique name, lower case, dot-separated words ({@code fs.read}, {@code tests.run})
 * @param description what the tool does, written for a model that decides whether to call it
 * @param argumentSchema a JSON Schema (draft 2020-12) of the arguments object; generate it from a
 *     record with {@code dev.agentrt.tools.ToolSchemas.of(Class)} rather than by hand
 * @param permissions what the tool touches ({@code fs.read}, {@code fs.write}, {@code net}, {@code
 *     process}); the ToolBus refuses a call when the policy does not grant one of them
 * @param effect what the call does to the world
 * @since 0.1
 */
public record ToolDescriptor(
    String name,
    String description,
    JsonNode argumentSchema,
    Set<String> permissions,
    Effect effect) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  public ToolDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(argumentSchema, "argumentSchema");
    Objects.requireNonNull(effect, "effect");
    permissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tool name '"
              + name
              + "' is not lower-case dot-separated words (for example fs.read or my_tool)");
    }
    if (!argumentSchema.isObject()) {
      throw new IllegalArgumentException(
          "tool '"
              + name
              + "': argumentSchema must be a JSON object, got "
              + argumentSchema.getNodeType());
    }
    argumentSchema = argumentSchema.deepCopy();
  }

  /** The argument schema; a copy, so the descriptor stays immutable. */
  @Override
  public JsonNode argumentSchema() {
    return argumentSchema.deepCopy();
  }
}
