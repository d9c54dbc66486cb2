package dev.agentrt.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.store.postgres.internal.PgStore;
import dev.agentrt.store.postgres.internal.StoreConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CheckpointStore} on a PostgreSQL database (ARCHITECTURE §4), shared by engines on any
 * number of JVMs: runs survive a restart, can be resumed, listed and inspected from any of them,
 * and queued runs ({@link #enqueue}) are handed to one engine each ({@link #claimNext}).
 *
 * <pre>{@code
 * try (PostgresCheckpointStore store =
 *     PostgresCheckpointStore.open(
 *         PostgresStoreOptions.builder("jdbc:postgresql://db:5432/agentrt")
 *             .user("agentrt")
 *             .password(System.getenv("AGENTRT_DB_PASSWORD"))
 *             .build())) {
 *   AgentRuntime rt = AgentRuntime.builder().checkpointStore(store).build();
 *   ...
 * }
 * }</pre>
 *
 * <h2>Durability</h2>
 *
 * Every append commits before it returns, as durably as the server's {@code synchronous_commit}
 * says (on by default: the commit is flushed to the server's WAL). A step is committed together
 * with the call records given with it (the effect journal), in one transaction, so it is either
 * entirely in the log or absent. Each write borrows a connection from the pool for the time of its
 * statement; a step without such records, a call and a status update are one statement each.
 *
 * <h2>Ownership</h2>
 *
 * {@link #create}, {@link #open}, {@link #claim} and {@link #claimNext} take a lease on the run
 * (owner, version, expiry), renewed in the background while the {@link RunLog} is open and released
 * by {@link RunLog#close()}. Every write through the log is conditional on the lease still being
 * the run's current one: the condition is part of the write's own statement, which holds the run's
 * row until it commits, so a log whose lease was taken over never writes again (it fails with a
 * {@link RunOwnedException} naming the new owner). {@code open} refuses a run whose lease is held
 * and not expired; after a crash, the run can be opened (or claimed) once the lease has expired
 * ({@link PostgresStoreOptions#leaseTtl()}), and the takeover is recorded in the run's history.
 * Lease times come from the engines' clocks, which should be synchronized.
 *
 * <h2>Queue</h2>
 *
 * {@link #claimNext} takes, in one transaction, the queued run of the highest priority (the oldest
 * first within one), else a running run whose lease expired or was released; rows another claimer
 * holds are skipped ({@code FOR UPDATE SKIP LOCKED}), so claimers never wait on each other and no
 * run is handed out twice.
 *
 * <h2>Records</h2>
 *
 * Tables are named {@code agentrt_*}, in the connection's current schema; they are created and
 * migrated on open, in one transaction under an advisory lock, and a database whose schema is newer
 * than this version is refused and left unchanged. Values (input, output, requests, responses) are
 * kept as JSON text, exactly as written; unlike the SQLite store, there are no artifacts: a large
 * value is kept in its row. Every row carries a record version; a row that cannot be read back
 * exactly fails with a {@link CheckpointStoreException} naming the run, the step and the field,
 * never with a partial result.
 *
 * <p>Thread-safe. Errors are {@link CheckpointStoreException}s whose message names the database
 * (its URL without the query, never a password).
 *
 * @since 0.1
 */
public final class PostgresCheckpointStore implements CheckpointStore {
  private final PgStore store;
  private final PostgresStoreOptions options;

  private PostgresCheckpointStore(PgStore store, PostgresStoreOptions options) {
    this.store = store;
    this.options = options;
  }

  /**
   * Opens the store described by {@code options}, creating or migrating agentrt's tables.
   *
   * @throws CheckpointStoreException naming the database if it cannot be reached or logged into, or
   *     its schema is newer than this version supports
   */
  public static PostgresCheckpointStore open(PostgresStoreOptions options) {
    Objects.requireNonNull(options, "options");
    String owner = options.ownerId() != null ? options.ownerId() : defaultOwner();
    String url = options.url();
    DataSource given = options.dataSource();
    PgStore store;
    if (url != null) {
      String name = PostgresStoreOptions.withoutQuery(url);
      HikariDataSource pool = pool(options, url, name);
      store = PgStore.open(config(options, name, owner), pool, pool);
    } else {
      DataSource ds = Objects.requireNonNull(given, "dataSource");
      store = PgStore.open(config(options, nameOf(ds), owner), ds, null);
    }
    return new PostgresCheckpointStore(store, options);
  }

  private static StoreConfig config(PostgresStoreOptions options, String name, String owner) {
    return new StoreConfig(name, owner, options.leaseTtl(), options.clock());
  }

  private static HikariDataSource pool(PostgresStoreOptions options, String url, String name) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    if (options.user() != null) c.setUsername(options.user());
    if (options.password() != null) c.setPassword(options.password());
    c.setMaximumPoolSize(options.poolSize());
    c.setMinimumIdle(1);
    c.setPoolName("agentrt-postgres");
    c.addDataSourceProperty("ApplicationName", "agentrt");
    try {
      return new HikariDataSource(c);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new CheckpointStoreException(
          "checkpoint store "
              + name
              + ": cannot connect: "
              + cause.getMessage()
              + " (check that the database is up, and the url, user and password"
              + " of checkpoint: in config.yml)",
          e);
    }
  }

  /** The URL of the database behind {@code ds} without its query, for messages. */
  private static String nameOf(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      String url = c.getMetaData().getURL();
      return url == null ? ds.toString() : PostgresStoreOptions.withoutQuery(url);
    } catch (SQLException e) {
      throw new CheckpointStoreException(
          "checkpoint store " + ds + ": cannot connect: " + e.getMessage(), e);
    }
  }

  private static String defaultOwner() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) host = "localhost";
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return ProcessHandle.current().pid() + "@" + host + "/" + HexFormat.of().formatHex(random);
  }

  /** The settings this store was opened with. */
  public PostgresStoreOptions options() {
    return options;
  }

  /** The owner name this store's leases are taken under. */
  public String ownerId() {
    return store.ownerId();
  }

  /**
   * {@inheritDoc}
   *
   * @throws CheckpointStoreException if a run with this id exists
   */
  @Override
  public RunLog create(RunRecord run) {
    Objects.requireNonNull(run, "run");
    return store.create(run);
  }

  /**
   * {@inheritDoc}
   *
   * @throws RunNotFoundException if the store has no such run
   * @throws RunOwnedException if another owner holds a live lease on the run ("run X is owned by Y
   *     since T"), naming the owner and when its lease expires
   * @throws CheckpointStoreException if the run's records cannot be read back
   */
  @Override
  public RunLog open(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.open(runId);
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.find(runId);
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    Objects.requireNonNull(query, "query");
    return store.list(query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Selects none of the runs' values (input, output, message), so its cost does not depend on
   * their size; a run whose row cannot be read back (unknown record version or status) is reported
   * in {@link RunListing#unreadable()}.
   */
  @Override
  public RunListing summaries(RunQuery query) {
    Objects.requireNonNull(query, "query");
    return store.summaries(query);
  }

  @Override
  public List<StepRecord> steps(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.steps(runId);
  }

  @Override
  public List<CallRecord> calls(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.calls(runId);
  }

  /**
   * Deletes a run with its steps, calls and lease history, whatever its status, unless an engine
   * holds a live lease on it.
   *
   * @throws CheckpointStoreException naming the owner, if an engine is executing the run
   */
  @Override
  public boolean delete(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.delete(runId);
  }

  /**
   * {@inheritDoc}
   *
   * <p>In one transaction; a run another transaction holds at that moment is left for the next
   * prune. Ages are measured with the store's clock ({@link PostgresStoreOptions#clock()}).
   */
  @Override
  public int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    if (keepLast != null && keepLast < 0) {
      throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    }
    return store.prune(keepLast, maxAge);
  }

  /** True: this store keeps a durable queue shared by every engine on the database. */
  @Override
  public boolean hasQueue() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code run}'s status is not {@link RunStatus#QUEUED}
   * @throws CheckpointStoreException if a run with that id exists
   */
  @Override
  public void enqueue(RunRecord run) {
    Objects.requireNonNull(run, "run");
    store.enqueue(run);
  }

  @Override
  public Optional<RunLog> claim(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.claim(runId).map(l -> l);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction; a takeover of a running run is logged and recorded as {@link #open} does.
   */
  @Override
  public Optional<RunLog> claimNext() {
    return store.claimNext().map(l -> l);
  }

  /**
   * Releases the leases of run logs still open and closes the store's own connection pool (a {@link
   * DataSource} given in the options is left open). Idempotent.
   */
  @Override
  public void close() {
    store.close();
  }

  /** The implementation, for tests in this package. */
  PgStore internals() {
    return store;
  }

  @Override
  public String toString() {
    return "PostgresCheckpointStore{" + store.name() + "}";
  }
}
