package dev.agentrt.core;

/**
 * Why a run is {@link RunStatus#FAILED}, {@link RunStatus#CANCELLED} or {@link RunStatus#WAITING}
 * (ARCHITECTURE §3), or why a {@link RunResult} reports a run that this engine stopped executing
 * while it is still {@link RunStatus#RUNNING} ({@link #OWNERSHIP_LOST}).
 *
 * @since 0.1
 */
public enum FailureReason {
  /** A step failed after its last attempt and no {@code $error} edge left its node. */
  NODE_FAILED,
  /** A budget (hops, duration, tokens, cost, calls) would have been exceeded. */
  BUDGET_EXCEEDED,
  /** A node did not finish within its own time limit. */
  TIMEOUT,
  /** The caller cancelled the run. */
  CANCELLED,
  /** A node produced output that did not match what the workflow needs. */
  INVALID_OUTPUT,
  /** The run waits at an {@code interrupt: before|after} node. */
  INTERRUPTED,
  /** A side effect may or may not have happened before a crash; a person or policy decides. */
  INDETERMINATE_EFFECT,
  /**
   * This engine lost the run to another owner, which took the run's lease over (after this engine
   * had paused past the lease's expiry), so a step could not be checkpointed. The run has not
   * failed: it continues under that owner. The result's status is {@link RunStatus#RUNNING}, its
   * message names the new owner, and this engine recorded nothing more for the run.
   */
  OWNERSHIP_LOST,
  /**
   * This engine stopped executing the run before it finished and gave it up ({@link Worker#drain}):
   * the run stays {@link RunStatus#RUNNING} with no owner, and any engine sharing the store
   * continues it from its last checkpoint ({@link AgentRuntime#recoverOrphaned()}, a worker). The
   * step that was executing is executed again there.
   *
   * @since 0.1
   */
  RELEASED
}
