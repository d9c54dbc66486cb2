package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.ToolFailureKind;
import java.util.Objects;

/**
 * What a tool call produced: a value, or a failure the caller (often a model) can read and act on.
 * Expected failures (bad path, denied host, non-zero exit) are {@link Failure} values, not
 * exceptions.
 *
 * @since 0.1
 */
public sealed interface ToolResult permits ToolResult.Success, ToolResult.Failure {

  /** A successful result. */
  static ToolResult success(JsonNode value) {
    return new Success(value, false);
  }

  /** A failure of kind {@link ToolFailureKind#ERROR}. */
  static ToolResult failure(String message) {
    return new Failure(ToolFailureKind.ERROR, message);
  }

  /** A failure of the given kind. */
  static ToolResult failure(ToolFailureKind kind, String message) {
    return new Failure(kind, message);
  }

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success;
  }

  /**
   * The call succeeded.
   *
   * @param value the result
   * @param truncated whether the ToolBus cut the value to its output size cap; the value then says
   *     so too ({@code {"truncated": true, ...}}), so a model reading it knows
   */
  record Success(JsonNode value, boolean truncated) implements ToolResult {
    public Success {
      Objects.requireNonNull(value, "value (use NullNode.getInstance() for no value)");
    }
  }

  /**
   * The call failed.
   *
   * @param kind why, for code that reacts to failures
   * @param message what went wrong and how to fix it, for the caller (a person or a model)
   */
  record Failure(ToolFailureKind kind, String message) implements ToolResult {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
