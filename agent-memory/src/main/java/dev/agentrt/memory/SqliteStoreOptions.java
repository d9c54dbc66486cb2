package dev.agentrt.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link SqliteCheckpointStore}. Immutable; build with {@link #builder()}, start from
 * existing settings with {@link #toBuilder()}. {@link #defaults()} suits production use.
 *
 * @since 0.1
 */
public final class SqliteStoreOptions {
  private static final SqliteStoreOptions DEFAULTS = builder().build();

  private final Synchronous synchronous;
  private final Duration leaseTtl;
  private final Duration busyTimeout;
  private final int artifactThreshold;
  private final @Nullable String ownerId;
  private final Clock clock;
  private final int maxPageCount;

  private SqliteStoreOptions(Builder b) {
    this.synchronous = b.synchronous;
    this.leaseTtl = b.leaseTtl;
    this.busyTimeout = b.busyTimeout;
    this.artifactThreshold = b.artifactThreshold;
    this.ownerId = b.ownerId;
    this.clock = b.clock;
    this.maxPageCount = b.maxPageCount;
  }

  /** {@link Synchronous#NORMAL}, a 15 s lease, a 5 s busy timeout, 64 KiB artifacts. */
  public static SqliteStoreOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.synchronous = synchronous;
    b.leaseTtl = leaseTtl;
    b.busyTimeout = busyTimeout;
    b.artifactThreshold = artifactThreshold;
    b.ownerId = ownerId;
    b.clock = clock;
    b.maxPageCount = maxPageCount;
    return b;
  }

  /** How commits reach the disk; see {@link Synchronous}. */
  public Synchronous synchronous() {
    return synchronous;
  }

  /**
   * How long a run's lease lasts without renewal. An open run log renews it every third of this;
   * after a crash, the run can be resumed elsewhere once this has passed.
   */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /** How long a write waits for another process that holds the database's write lock. */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /** Values whose JSON is larger than this many bytes are stored as artifacts. */
  public int artifactThreshold() {
    return artifactThreshold;
  }

  /**
   * The name this store's leases are taken under, shown to whoever finds a run owned; a fresh
   * {@code pid@host/random} when not set.
   */
  public @Nullable String ownerId() {
    return ownerId;
  }

  /** The clock of lease expiry, status updates and retention. */
  public Clock clock() {
    return clock;
  }

  /** {@code PRAGMA max_page_count} of the writer, {@code 0} for SQLite's default; for tests. */
  int maxPageCount() {
    return maxPageCount;
  }

  @Override
  public String toString() {
    return "SqliteStoreOptions{synchronous="
        + synchronous
        + ", leaseTtl="
        + leaseTtl
        + ", busyTimeout="
        + busyTimeout
        + ", artifactThreshold="
        + artifactThreshold
        + ", ownerId="
        + ownerId
        + "}";
  }

  /** Builds {@link SqliteStoreOptions}. Not thread-safe. */
  public static final class Builder {
    private Synchronous synchronous = Synchronous.NORMAL;
    private Duration leaseTtl = Duration.ofSeconds(15);
    private Duration busyTimeout = Duration.ofSeconds(5);
    private int artifactThreshold = 64 * 1024;
    private @Nullable String ownerId;
    private Clock clock = Clock.systemUTC();
    private int maxPageCount;

    private Builder() {}

    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /** At least 10 ms, at most 1 day. */
    public Builder leaseTtl(Duration leaseTtl) {
      Objects.requireNonNull(leaseTtl, "leaseTtl");
      if (leaseTtl.compareTo(Duration.ofMillis(10)) < 0
          || leaseTtl.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "leaseTtl must be between 10ms and 1 day, was " + leaseTtl);
      }
      this.leaseTtl = leaseTtl;
      return this;
    }

    /** Zero or more, at most 1 hour. */
    public Builder busyTimeout(Duration busyTimeout) {
      Objects.requireNonNull(busyTimeout, "busyTimeout");
      if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "busyTimeout must be between 0 and 1 hour, was " + busyTimeout);
      }
      this.busyTimeout = busyTimeout;
      return this;
    }

    /** In bytes, at least 1. */
    public Builder artifactThreshold(int bytes) {
      if (bytes < 1)
        throw new IllegalArgumentException("artifactThreshold must be >= 1 byte, was " + bytes);
      this.artifactThreshold = bytes;
      return this;
    }

    /** Not blank, at most 200 characters. */
    public Builder ownerId(String ownerId) {
      Objects.requireNonNull(ownerId, "ownerId");
      if (ownerId.isBlank() || ownerId.length() > 200) {
        throw new IllegalArgumentException(
            "ownerId must be 1 to 200 characters and not blank, was '" + ownerId + "'");
      }
      this.ownerId = ownerId;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Caps the database at this many pages, to simulate a full disk in tests. */
    Builder maxPageCount(int pages) {
      if (pages < 0) throw new IllegalArgumentException("maxPageCount must be >= 0, was " + pages);
      this.maxPageCount = pages;
      return this;
    }

    public SqliteStoreOptions build() {
      return new SqliteStoreOptions(this);
    }
  }
}
