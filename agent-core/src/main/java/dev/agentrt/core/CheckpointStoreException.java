package dev.agentrt.core;

/**
 * A checkpoint store could not read or write a run's log. The message names the run, and the step
 * and field where one is concerned.
 *
 * @since 0.1
 */
public class CheckpointStoreException extends AgentrtException {
  public CheckpointStoreException(String message) {
    super(message);
  }

  public CheckpointStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
