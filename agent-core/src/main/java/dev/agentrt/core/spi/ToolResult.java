package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a tool call produced: a value, or a failure the caller (often a model) can read and act
 * on. Expected failures (bad path, denied host, non-zero exit) are {@link Failure} values, not
 * exceptions.
 *
 * @since 0.1
 */
public sealed interface ToolResult permits ToolResult.Success, ToolResult.Failure {

  /** A successful result. */
  static ToolResult success(JsonNode value) {
    return new Success(value, false);
  }

  /** A failure of kind {@link FailureKind#ERROR}. */
  static ToolResult failure(String message) {
    return new Failure(FailureKind.ERROR, message);
  }

  /** A failure of the given kind. */
  static ToolResult failure(FailureKind kind, String message) {
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
  record Failure(FailureKind kind, String message) implements ToolResult {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Why a call failed.
   *
   * @since 0.1
   */
  enum FailureKind {
    /** The tool ran and failed (bad path, refused host, non-zero exit, exception). */
    ERROR,
    /** No tool has the name. */
    UNKNOWN_TOOL,
    /** The caller or the policy does not allow the call; the message names the missing permission. */
    DENIED,
    /** The arguments do not match the tool's schema; the message says which and why. */
    INVALID_ARGUMENTS,
    /** The call did not finish within its timeout. */
    TIMEOUT,
    /** The run was cancelled while the call was in flight. */
    CANCELLED,
    /**
     * A resumed run found that an earlier execution started this non-idempotent call and did not
     * record its result; the call was not repeated.
     */
    INDETERMINATE_EFFECT
  }
}
