package dev.agentrt.core.spi;

import java.util.Objects;

/**
 * A problem that a {@link NodeExecutor} found in a node at load time. The loader adds the file,
 * line and column of {@code field} (or of the node when the field is absent from the file).
 *
 * @param field the node's YAML key concerned, such as {@code tool} or {@code args}
 * @param message what is wrong and how to fix it, without the location
 * @since 0.1
 */
public record NodeProblem(String field, String message) {
  public NodeProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
