package dev.agentrt.core.engine;

import dev.agentrt.core.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Fake time for tests: a {@link Clock} that moves only when told, and a {@link Sleeper} whose
 * sleeps end when the clock reaches their end. {@link #advancing()} is a sleeper that moves the
 * clock itself, so every wait is over at once.
 */
final class ManualTime extends Clock {
  private Instant now;
  private int sleeping;
  private final List<Duration> slept = new ArrayList<>();

  ManualTime(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  /** Moves the clock forward, ending the sleeps it passes. */
  synchronized void advance(Duration d) {
    now = now.plus(d);
    notifyAll();
  }

  /** Every duration slept so far, in order. */
  synchronized List<Duration> slept() {
    return List.copyOf(slept);
  }

  /** Waits (in real time, without a timeout of its own) until {@code n} threads sleep. */
  synchronized void awaitSleepers(int n) throws InterruptedException {
    while (sleeping < n) wait();
  }

  /** A sleeper that waits until the clock is advanced past the end of each sleep. */
  Sleeper waiting() {
    return d -> {
      synchronized (this) {
        slept.add(d);
        Instant end = now.plus(d);
        sleeping++;
        notifyAll();
        try {
          while (now.isBefore(end)) wait();
        } finally {
          sleeping--;
        }
      }
    };
  }

  /** A sleeper that advances the clock by each duration and returns at once. */
  Sleeper advancing() {
    return d -> {
      synchronized (this) {
        slept.add(d);
      }
      advance(d);
    };
  }
}
