package dev.agentrt.core;

import dev.agentrt.core.internal.Claimer;
import java.time.Duration;
import java.util.Objects;

/**
 * Executes runs it claims from the checkpoint store's queue ({@link AgentRuntime#worker(int)}):
 * queued runs from their first node, and runs whose owner died (lease expired, or released by a
 * draining worker) from their last checkpoint. Workers in many JVMs can share one store (the
 * PostgreSQL store): each run is claimed by one of them at a time. A worker's runs also take the
 * runtime's {@code scheduler.max_concurrency} slots.
 *
 * <p>{@link #drain(Duration)} (also {@link #close()} and the runtime's close) stops claiming, lets
 * the runs in flight finish for a while, then releases the others: they stay {@code RUNNING} with
 * no owner, and another worker continues them from their last checkpoint.
 *
 * @since 0.1
 */
public final class Worker implements AutoCloseable {
  private final Claimer claimer;
  private final Duration closeTimeout;

  Worker(Claimer claimer, Duration closeTimeout) {
    this.claimer = claimer;
    this.closeTimeout = closeTimeout;
  }

  /** How many runs this worker executed until they finished, waited or were released. */
  public long executed() {
    return claimer.executed();
  }

  /** How many runs it executes now. */
  public int inFlight() {
    return claimer.inFlight();
  }

  /**
   * Waits until the worker stopped claiming and none of its runs executes, at most {@code timeout}:
   * for a worker of {@link AgentRuntime#recoverOrphaned()}, until the queue was found empty and the
   * runs it found ended; for another worker, until it was drained.
   *
   * @return whether the worker is idle
   */
  public boolean awaitIdle(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return claimer.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops claiming, waits at most {@code timeout} for the runs in flight to end, then releases the
   * others (their current step is executed again by the engine that continues them).
   *
   * @return whether every run in flight ended on its own
   */
  public boolean drain(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return claimer.drain(timeout);
  }

  /** {@link #drain(Duration)} with the runtime's close timeout. */
  @Override
  public void close() {
    drain(closeTimeout);
  }
}
