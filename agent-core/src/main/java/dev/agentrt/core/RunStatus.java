package dev.agentrt.core;

/**
 * The status of a run (ARCHITECTURE §3).
 *
 * @since 0.1
 */
public enum RunStatus {
  /** The run is executing, or its owner died while it was executing. */
  RUNNING,
  /** The run is suspended and waits for {@link AgentRuntime#resume(String, Object)}. */
  WAITING,
  /** The run reached an exit node. */
  COMPLETED,
  /** The run stopped on an error or a budget; see {@link RunResult#reason()}. */
  FAILED,
  /** The run was cancelled by its caller. */
  CANCELLED,
  /**
   * The run waits in the queue for a free slot ({@code scheduler.max_concurrency}) or for a worker
   * to claim it ({@link AgentRuntime#enqueue}); no step has run yet.
   */
  QUEUED;

  /** Whether the run can make no further progress. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
