package dev.agentrt.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Admits runs until the runtime closes, and lets {@code close()} wait for the runs in flight.
 * Thread-safe.
 */
public final class RunGate {
  private int active;
  private boolean closed;

  /**
   * Admits one run (a {@code run}, {@code start}, {@code resume} or {@code fork}); pair with {@link
   * #exit()}.
   *
   * @throws IllegalStateException if the runtime is closed
   */
  public synchronized void enter() {
    if (closed) {
      throw new IllegalStateException(
          "the AgentRuntime is closed: it starts, runs and resumes no more runs"
              + " (build a new one)");
    }
    active++;
  }

  /** One admitted run has ended. */
  public synchronized void exit() {
    if (--active == 0) notifyAll();
  }

  /**
   * Refuses every later run; true for the call that closed the gate, false if it was closed
   * already.
   */
  public synchronized boolean close() {
    if (closed) return false;
    closed = true;
    return true;
  }

  /**
   * Waits until no admitted run is in flight, at most {@code timeout}.
   *
   * @return whether none is; false on timeout or interrupt (the interrupt flag is kept)
   */
  public synchronized boolean awaitIdle(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    try {
      while (active > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
