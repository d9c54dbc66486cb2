package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.Capabilities;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link Tool} is: its name, what it does, the JSON Schema of its arguments, the permissions
 * it needs, its effect and its capability tags.
 *
 * @param name unique name, lower case, dot-separated words ({@code fs.read}, {@code tests.run})
 * @param description what the tool does, written for a model that decides whether to call it
 * @param argumentSchema a JSON Schema (draft 2020-12) of the arguments object; generate it from a
 *     record with {@code dev.agentrt.tools.ToolSchemas.of(Class)} rather than by hand
 * @param permissions what the tool touches ({@code fs.read}, {@code fs.write}, {@code net}, {@code
 *     process}); the ToolBus refuses a call when the policy does not grant one of them
 * @param effect what the call does to the world
 * @param tags capability tags ({@code files}, {@code tests}): lower-case identifiers (see {@link
 *     Capabilities#TAG_PATTERN}), each once, in the order given; a {@code kind: tool} node calling
 *     the tool provides them to {@code requires:} (see {@link Capabilities})
 * @since 0.1
 */
public record ToolDescriptor(
    String name,
    String description,
    JsonNode argumentSchema,
    Set<String> permissions,
    Effect effect,
    List<String> tags) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  public ToolDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(argumentSchema, "argumentSchema");
    Objects.requireNonNull(effect, "effect");
    permissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
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
    for (String tag : tags) {
      if (!Capabilities.isTag(tag)) {
        throw new IllegalArgumentException(
            "tool '"
                + name
                + "': tag '"
                + tag
                + "' is not a lower-case identifier (a letter, then lower-case letters, digits,"
                + " '_' or '-')");
      }
    }
    if (tags.stream().distinct().count() != tags.size()) {
      throw new IllegalArgumentException(
          "tool '" + name + "': a tag is listed twice in " + tags + " (list each tag once)");
    }
    argumentSchema = argumentSchema.deepCopy();
  }

  /**
   * A descriptor without capability tags.
   *
   * @throws IllegalArgumentException if the name is not lower-case dot-separated words or the
   *     schema is not a JSON object
   */
  public ToolDescriptor(
      String name,
      String description,
      JsonNode argumentSchema,
      Set<String> permissions,
      Effect effect) {
    this(name, description, argumentSchema, permissions, effect, List.of());
  }

  /**
   * This descriptor with {@code tags} as its capability tags (replacing its own).
   *
   * @throws IllegalArgumentException if a tag is not a lower-case identifier or is listed twice
   * @since 0.1
   */
  public ToolDescriptor withTags(String... tags) {
    return new ToolDescriptor(
        name, description, argumentSchema, permissions, effect, List.of(tags));
  }

  /** The argument schema; a copy, so the descriptor stays immutable. */
  @Override
  public JsonNode argumentSchema() {
    return argumentSchema.deepCopy();
  }
}
