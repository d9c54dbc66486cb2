package dev.agentrt.core;

/**
 * No run with the given id is known to the checkpoint store, or the run cannot continue (for
 * example it is already completed). The message says which.
 *
 * @since 0.1
 */
public class RunNotFoundException extends AgentrtException {
  private final String runId;

  public RunNotFoundException(String runId, String message) {
    super(message);
    this.runId = runId;
  }

  /** The id of the run concerned. */
  public String runId() {
    return runId;
  }
}
