package dev.agentrt.core.spi;

import java.time.Duration;

/**
 * How the runtime waits: retry backoffs, the pause between model retries and the {@code
 * max_duration} deadline. The runtime's {@link java.time.Clock} says what time it is; a sleeper
 * lets that time pass. A test gives the runtime a fake clock and a sleeper that advances it, so a
 * run with a backoff of seconds finishes at once and the same way every time.
 *
 * <p>Thread-safe: one sleeper serves every run of a runtime and is called concurrently.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits {@code duration}, or until the calling thread is interrupted (a cancelled run interrupts
   * its threads).
   *
   * @param duration how long to wait; zero or negative returns at once
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The real sleeper: {@link Thread#sleep}. The default of every runtime. */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
