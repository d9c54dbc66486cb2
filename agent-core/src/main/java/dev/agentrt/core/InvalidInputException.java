package dev.agentrt.core;

import java.util.List;

/**
 * The input given to a run does not match the workflow's {@code input.schema}; no run was
 * started. {@link #problems()} lists each mismatch with its JSON pointer.
 *
 * @since 0.1
 */
public class InvalidInputException extends AgentrtException {
  private final String workflowId;
  private final List<String> problems;

  public InvalidInputException(String workflowId, List<String> problems) {
    super("input of workflow '" + workflowId + "' does not match its input.schema: " + String.join("; ", problems));
    this.workflowId = workflowId;
    this.problems = List.copyOf(problems);
  }

  /** The workflow whose schema the input failed. */
  public String workflowId() {
    return workflowId;
  }

  /** Each mismatch, such as {@code /title: integer found, string expected}. */
  public List<String> problems() {
    return problems;
  }
}
