package dev.agentrt.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link PostgresCheckpointStore}: where the database is, and how runs are owned.
 * Immutable; start with {@link #builder(String)} for a JDBC URL (the store keeps its own connection
 * pool) or {@link #builder(DataSource)} for a pool the application owns, and copy with {@link
 * #toBuilder()}.
 *
 * <pre>{@code
 * PostgresStoreOptions options =
 *     PostgresStoreOptions.builder("jdbc:postgresql://db:5432/agentrt")
 *         .user("agentrt")
 *         .password(System.getenv("AGENTRT_DB_PASSWORD"))
 *         .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password.
 *
 * @since 0.1
 */
public final class PostgresStoreOptions {
  private final @Nullable String url;
  private final @Nullable String user;
  private final @Nullable String password;
  private final @Nullable DataSource dataSource;
  private final int poolSize;
  private final Duration leaseTtl;
  private final @Nullable String ownerId;
  private final Clock clock;

  private PostgresStoreOptions(Builder b) {
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
    this.dataSource = b.dataSource;
    this.poolSize = b.poolSize;
    this.leaseTtl = b.leaseTtl;
    this.ownerId = b.ownerId;
    this.clock = b.clock;
  }

  /**
   * Settings for the database at {@code jdbcUrl}, such as {@code
   * jdbc:postgresql://localhost:5432/agentrt}; the store opens a pool of {@link #poolSize()}
   * connections to it and closes them with itself.
   *
   * @throws IllegalArgumentException if {@code jdbcUrl} is not a {@code jdbc:postgresql:} URL
   */
  public static Builder builder(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "url must be a PostgreSQL JDBC URL starting with 'jdbc:postgresql:', such as"
              + " jdbc:postgresql://localhost:5432/agentrt; was '"
              + withoutQuery(jdbcUrl)
              + "'");
    }
    Builder b = new Builder();
    b.url = jdbcUrl;
    return b;
  }

  /**
   * Settings for the database behind {@code dataSource}, a pool the application owns: the store
   * borrows connections from it and does not close it. Its connections must be to PostgreSQL and
   * must not be in a transaction when handed out (auto-commit on, as pools give them).
   */
  public static Builder builder(DataSource dataSource) {
    Builder b = new Builder();
    b.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    return b;
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.url = url;
    b.user = user;
    b.password = password;
    b.dataSource = dataSource;
    b.poolSize = poolSize;
    b.leaseTtl = leaseTtl;
    b.ownerId = ownerId;
    b.clock = clock;
    return b;
  }

  /** The JDBC URL, or null when the store was given a {@link #dataSource()}. */
  public @Nullable String url() {
    return url;
  }

  /** The database user of {@link #url()}; null: the URL's or the driver's default. */
  public @Nullable String user() {
    return user;
  }

  /** The password of {@link #url()}; null: none, or the URL's. Never log it. */
  public @Nullable String password() {
    return password;
  }

  /** The application's pool, or null when the store opens its own from {@link #url()}. */
  public @Nullable DataSource dataSource() {
    return dataSource;
  }

  /**
   * The most connections the store's own pool opens (with a {@link #url()}); every write of a run
   * holds one for the time of its transaction, and the lease heartbeat one per renewal.
   */
  public int poolSize() {
    return poolSize;
  }

  /**
   * How long a run's lease lasts without renewal. An open run log renews it every third of this;
   * after a crash, the run can be taken over once this has passed.
   */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /**
   * The name this store's leases are taken under, shown to whoever finds a run owned; a fresh
   * {@code pid@host/random} when not set.
   */
  public @Nullable String ownerId() {
    return ownerId;
  }

  /**
   * The clock of lease expiry, status updates and pruning (not the database server's clock: every
   * engine sharing the database should have a synchronized clock, as leases compare their times).
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "PostgresStoreOptions{"
        + (url != null ? "url=" + withoutQuery(url) : "dataSource=" + dataSource)
        + (user == null ? "" : ", user=" + user)
        + (password == null ? "" : ", password=****")
        + (dataSource == null ? ", poolSize=" + poolSize : "")
        + ", leaseTtl="
        + leaseTtl
        + ", ownerId="
        + ownerId
        + "}";
  }

  /** {@code url} without its query, where a JDBC URL may carry a password. */
  static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Builds {@link PostgresStoreOptions}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable DataSource dataSource;
    private int poolSize = 10;
    private Duration leaseTtl = Duration.ofSeconds(15);
    private @Nullable String ownerId;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The database user; only with a URL.
     *
     * @throws IllegalStateException if the builder was made for a {@link DataSource}
     */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user");
      requireUrl("user");
      this.user = user;
      return this;
    }

    /**
     * The database password; only with a URL. An empty password is none.
     *
     * @throws IllegalStateException if the builder was made for a {@link DataSource}
     */
    public Builder password(String password) {
      Objects.requireNonNull(password, "password");
      requireUrl("password");
      this.password = password.isEmpty() ? null : password;
      return this;
    }

    /**
     * The size of the store's own pool, 1 to 1000 (default 10); only with a URL.
     *
     * @throws IllegalStateException if the builder was made for a {@link DataSource}
     */
    public Builder poolSize(int poolSize) {
      requireUrl("poolSize");
      if (poolSize < 1 || poolSize > 1000) {
        throw new IllegalArgumentException("poolSize must be between 1 and 1000, was " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /** At least 10 ms, at most 1 day (default 15 s). */
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

    /** The clock of leases, status updates and pruning (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private void requireUrl(String setting) {
      if (dataSource != null) {
        throw new IllegalStateException(
            setting
                + " applies to the store's own pool (PostgresStoreOptions.builder(url)); with a"
                + " DataSource, set it on the DataSource");
      }
    }

    /** The settings; the builder can go on being used. */
    public PostgresStoreOptions build() {
      return new PostgresStoreOptions(this);
    }
  }
}
