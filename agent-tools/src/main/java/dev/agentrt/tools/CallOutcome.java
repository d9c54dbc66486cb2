package dev.agentrt.tools;

import dev.agentrt.core.spi.ToolResult;

/**
 * What a call came to.
 *
 * @param result the result handed to the caller
 * @param replayed whether the result comes from the journal of an earlier execution (the tool was
 *     not called, and nothing new is recorded)
 */
record CallOutcome(ToolResult result, boolean replayed) {

  /** A result of this execution, to be recorded. */
  static CallOutcome fresh(ToolResult result) {
    return new CallOutcome(result, false);
  }

  /** A result decided by the journal, not to be recorded again. */
  static CallOutcome replayed(ToolResult result) {
    return new CallOutcome(result, true);
  }
}
