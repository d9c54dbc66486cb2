package dev.agentrt.memory;

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
import dev.agentrt.memory.internal.SqliteStore;
import dev.agentrt.memory.internal.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CheckpointStore} on one SQLite file (ARCHITECTURE §4): runs survive a restart of the JVM
 * and can be resumed, listed and inspected from another process.
 *
 * <pre>{@code
 * try (SqliteCheckpointStore store = SqliteCheckpointStore.open(Path.of("var/agentrt/runs.db"))) {
 *   AgentRuntime rt = AgentRuntime.builder().checkpointStore(store).build();
 *   ...
 * }
 * }</pre>
 *
 * <h2>Durability</h2>
 *
 * The database is in WAL mode. Every append commits before it returns; with {@link
 * Synchronous#NORMAL} (the default) a commit survives a crash of the process, with {@link
 * Synchronous#FULL} also a power loss. A step is committed together with the call records given
 * with it, so it is either entirely in the log or absent. Writes of all runs go through one
 * connection: a write that finds it idle commits at once on the calling thread; writes that arrive
 * while it is busy are committed together by a writer thread, in one transaction (group commit), so
 * many concurrent runs share the cost of a commit. Readers use their own connections and never wait
 * for the writer. WAL checkpoints run on a background thread, not inside a commit.
 *
 * <h2>Ownership</h2>
 *
 * {@link #create} and {@link #open} take a lease on the run (owner, version, expiry), renewed in
 * the background while the {@link RunLog} is open and released by {@link RunLog#close()}. Every
 * write through the log is conditional on the lease still being the run's current one (the
 * condition is part of the write's own statement, in its own transaction), so a log whose lease was
 * taken over never writes again (it fails with a {@link RunOwnedException} naming the new owner).
 * {@code open} refuses a run whose lease is held and not expired, with a {@link RunOwnedException};
 * after a crash, the run can be opened once the lease has expired ({@link
 * SqliteStoreOptions#leaseTtl()}), and the takeover is recorded. Several processes may open the
 * same file.
 *
 * <h2>Records</h2>
 *
 * Values larger than {@link SqliteStoreOptions#artifactThreshold()} are stored once, by SHA-256, as
 * artifacts ({@link #artifacts}). Every row carries a record version; a row that cannot be read
 * back exactly (unknown version, corrupt JSON, missing artifact) fails with a {@link
 * CheckpointStoreException} naming the run, the step and the field, never with a partial result. A
 * database written by a newer schema is refused and left unchanged.
 *
 * <p>Thread-safe. Errors are {@link CheckpointStoreException}s whose message names the file.
 *
 * @since 0.1
 */
public final class SqliteCheckpointStore implements CheckpointStore {
  private final SqliteStore store;
  private final SqliteStoreOptions options;

  private SqliteCheckpointStore(SqliteStore store, SqliteStoreOptions options) {
    this.store = store;
    this.options = options;
  }

  /** Opens the store at {@code path} with {@link SqliteStoreOptions#defaults()}. */
  public static SqliteCheckpointStore open(Path path) {
    return open(path, SqliteStoreOptions.defaults());
  }

  /**
   * Opens the store at {@code path}, creating the file and its parent directories if needed and
   * migrating an older schema. A relative path is resolved against the working directory.
   *
   * @throws CheckpointStoreException naming the path if the directory cannot be created or written,
   *     the file is not an agentrt store (or is corrupt or truncated), or its schema is newer than
   *     this version supports
   */
  public static SqliteCheckpointStore open(Path path, SqliteStoreOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    String owner = options.ownerId() != null ? options.ownerId() : defaultOwner();
    StoreConfig config =
        new StoreConfig(
            path.toAbsolutePath().normalize(),
            options.synchronous() == Synchronous.FULL,
            options.leaseTtl(),
            options.busyTimeout(),
            options.artifactThreshold(),
            owner,
            options.clock(),
            options.maxPageCount());
    return new SqliteCheckpointStore(SqliteStore.open(config), options);
  }

  private static String defaultOwner() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) host = "localhost";
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return ProcessHandle.current().pid() + "@" + host + "/" + HexFormat.of().formatHex(random);
  }

  /** The database file, absolute. */
  public Path path() {
    return store.path();
  }

  /** The settings this store was opened with. */
  public SqliteStoreOptions options() {
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

  /** The artifacts the run's records refer to, oldest first; empty for an unknown run. */
  public List<ArtifactInfo> artifacts(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.artifacts(runId);
  }

  /**
   * Deletes finished runs (completed, failed or cancelled, and not owned) other than the newest
   * {@code keepLast} runs, each with its steps, calls and lease history, and the artifacts no
   * remaining run refers to, in one transaction. Waiting and running runs are kept.
   *
   * @return the number of runs deleted
   */
  public int deleteRuns(int keepLast) {
    if (keepLast < 0) throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
    return store.deleteRuns(keepLast);
  }

  /**
   * Deletes finished runs whose status last changed more than {@code age} ago (by the store's
   * clock), as {@link #deleteRuns(int)} does.
   *
   * @return the number of runs deleted
   */
  public int deleteRunsOlderThan(Duration age) {
    Objects.requireNonNull(age, "age");
    if (age.isNegative())
      throw new IllegalArgumentException("age must not be negative, was " + age);
    return store.deleteRunsOlderThan(age);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Both rules are applied in one transaction, with the artifacts no remaining run refers to. A
   * run whose lease has expired counts as owned by no engine.
   */
  @Override
  public int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    if (keepLast != null && keepLast < 0)
      throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
    if (maxAge != null && maxAge.isNegative())
      throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    return store.prune(keepLast, maxAge);
  }

  /** True: this store keeps a durable queue, shared by every process that opens the file. */
  @Override
  public boolean hasQueue() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The run is inserted with no lease; it costs one index entry while it is queued.
   */
  @Override
  public void enqueue(RunRecord run) {
    Objects.requireNonNull(run, "run");
    if (run.status() != RunStatus.QUEUED) {
      throw new IllegalArgumentException(
          "run '"
              + run.runId()
              + "' is "
              + run.status()
              + "; only a run of status QUEUED can be enqueued (use create to start a run now)");
    }
    store.enqueue(run);
  }

  /**
   * {@inheritDoc}
   *
   * <p>In one transaction the run becomes {@code RUNNING} and takes a lease of this store's owner,
   * recorded in the lease history; claims of processes sharing the file are serialized by SQLite.
   */
  @Override
  public Optional<RunLog> claim(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.claim(runId).map(RunLog.class::cast);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A running run is claimable once its lease was released (its engine closed the log without a
   * final status) or expired ({@link SqliteStoreOptions#leaseTtl()}); its takeover is recorded, and
   * the log of its former owner can no longer write.
   */
  @Override
  public Optional<RunLog> claimNext() {
    return store.claimNext().map(RunLog.class::cast);
  }

  /**
   * Writes a consistent copy of the store to {@code target}, a new file, while runs go on: SQLite's
   * {@code VACUUM INTO}, which holds every transaction committed before it started (compacted, WAL
   * included). The copy opens with {@link #open(Path)} as a store with the same runs, steps, calls
   * and artifacts.
   *
   * @throws CheckpointStoreException if {@code target} exists, or the copy cannot be written
   * @since 0.1
   */
  public void backup(Path target) {
    Objects.requireNonNull(target, "target");
    store.backup(target);
  }

  /**
   * Deletes a run with its steps, calls, lease history and the artifacts no other run refers to,
   * whatever its status, unless an engine holds a live lease on it.
   *
   * @throws CheckpointStoreException naming the owner, if an engine is executing the run
   */
  @Override
  public boolean delete(String runId) {
    Objects.requireNonNull(runId, "runId");
    return store.delete(runId);
  }

  /**
   * Releases the leases of run logs still open, waits for queued writes to commit and closes the
   * database. Idempotent.
   */
  @Override
  public void close() {
    store.close();
  }

  /** The implementation, for tests in this package. */
  SqliteStore internals() {
    return store;
  }

  @Override
  public String toString() {
    return "SqliteCheckpointStore{" + path() + "}";
  }
}
