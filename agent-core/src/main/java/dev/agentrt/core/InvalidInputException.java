package dev.agentrt.core;

import java.util.List;

/**
 * The input given to a run does not match the workflow's {@code input.schema}, or exceeds a limit
 * every input is held to ({@link AgentRuntime#MAX_INPUT_DEPTH}, {@link
 * AgentRuntime#MAX_INPUT_BYTES}); no run was started, and nothing was written. {@link #problems()}
 * lists each mismatch with its JSON pointer, or the limit exceeded.
 *
 * @since 0.1
 */
public class InvalidInputException extends AgentrtException {
  private final String workflowId;
  private final List<String> problems;

  public InvalidInputException(String workflowId, List<String> problems) {
    super(
        "input of workflow '"
            + workflowId
            + "' does not match its input.schema: "
            + String.join("; ", problems));
    this.workflowId = workflowId;
    this.problems = List.copyOf(problems);
  }

  /**
   * The input exceeds a limit every input is held to; {@code problem} completes the sentence {@code
   * input of workflow 'ID' ...}, such as {@code is nested more than 100 levels deep}.
   */
  public InvalidInputException(String workflowId, String problem) {
    super("input of workflow '" + workflowId + "' " + problem);
    this.workflowId = workflowId;
    this.problems = List.of(problem);
  }

  /** The workflow whose schema or limits the input failed. */
  public String workflowId() {
    return workflowId;
  }

  /**
   * Each mismatch, such as {@code /title: integer found, string expected}, or the limit exceeded.
   */
  public List<String> problems() {
    return problems;
  }
}
