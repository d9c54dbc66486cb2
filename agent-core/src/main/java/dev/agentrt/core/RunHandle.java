package dev.agentrt.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A run started with {@link AgentRuntime#start}. Thread-safe. Not intended to be implemented by
 * users.
 *
 * @since 0.1
 */
public interface RunHandle {

  /** The run's id, known as soon as the run starts. */
  String runId();

  /** Whether the run has finished, completed or not. */
  boolean isDone();

  /**
   * Waits for the run to finish and returns its result. When this returns, no thread is executing
   * any part of the run.
   *
   * @throws AgentrtException if the waiting thread is interrupted (its interrupt flag is set)
   */
  RunResult await();

  /**
   * Like {@link #await()} but gives up after {@code timeout}.
   *
   * @throws TimeoutException if the run is still going after {@code timeout}
   */
  RunResult await(Duration timeout) throws TimeoutException;

  /**
   * Asks the run to stop: steps in flight are interrupted, no further step starts, and the run
   * finishes with status {@link RunStatus#CANCELLED}. Returns at once; use {@link #await()} to wait
   * until every thread of the run has stopped. Cancelling a finished run does nothing.
   */
  void cancel();

  /** The result as a future, completed when the run finishes. */
  CompletableFuture<RunResult> toCompletableFuture();
}
