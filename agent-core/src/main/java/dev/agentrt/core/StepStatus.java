package dev.agentrt.core;

/**
 * The status of one step in a run's step log.
 *
 * @since 0.1
 */
public enum StepStatus {
  /** The step's node executed and produced its output. */
  COMPLETED,
  /** The step's node failed after its last attempt. */
  FAILED,
  /** The run was suspended at this step ({@code interrupt:}). */
  SUSPENDED,
  /** Input for a suspended step was given with {@code resume}; the output is that input. */
  RESUMED
}
