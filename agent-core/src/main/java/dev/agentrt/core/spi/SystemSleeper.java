package dev.agentrt.core.spi;

import java.time.Duration;

/** The real sleeper behind {@link Sleeper#system()}. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) return;
    Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
  }
}
