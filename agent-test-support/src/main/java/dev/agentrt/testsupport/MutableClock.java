package dev.agentrt.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test moves it; safe to read and advance from any thread. */
public final class MutableClock extends Clock {
  private final Now now;
  private final ZoneId zone;

  /** The instant shared by a clock and its zone views. */
  private static final class Now {
    private volatile Instant value;

    Now(Instant value) {
      this.value = value;
    }

    synchronized void add(Duration d) {
      value = value.plus(d);
    }
  }

  /** A clock in UTC standing at {@code start}. */
  public MutableClock(Instant start) {
    this(new Now(start), ZoneOffset.UTC);
  }

  private MutableClock(Now now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock (and every clock {@link #withZone} made from it) forward by {@code d}. */
  public void advance(Duration d) {
    now.add(d);
  }

  @Override
  public Instant instant() {
    return now.value;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of the same instant in {@code zone}: advancing either moves both. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, zone);
  }
}
