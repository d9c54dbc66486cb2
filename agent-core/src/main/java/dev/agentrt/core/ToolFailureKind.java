package dev.agentrt.core;

/**
 * Why a tool call failed: the kind of a {@code ToolResult.Failure} and of a failed {@code
 * RunEvent.ToolCalled}.
 *
 * @since 0.1
 */
public enum ToolFailureKind {
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
