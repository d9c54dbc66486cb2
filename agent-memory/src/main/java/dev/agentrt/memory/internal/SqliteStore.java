package dev.agentrt.memory.internal;

import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.ArtifactInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite checkpoint store behind {@code SqliteCheckpointStore}: one writer connection for every
 * write (committed by the caller when idle, else group-committed by the {@link Writer} thread), a
 * pool of reader connections ({@link StoreReaders}), run leases renewed by a heartbeat thread
 * ({@link Leases}). Rows are encoded and decoded by {@link RowCodec}, the writes of a run are
 * {@link RunWrites}, pruning is {@link Retention}. Time comes from the configured clock ({@link
 * StoreConfig#clock()}).
 */
public final class SqliteStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  final StoreConfig config;
  private final Writer writer;
  private final StoreReaders readers;
  private final Leases leases;
  private final RunWrites writes;
  private final Retention retention;
  private final RunQueue queue;
  private final Database db;
  private volatile boolean closed;

  private SqliteStore(StoreConfig config, Database db, Connection writerConnection) {
    this.config = config;
    this.db = db;
    this.writer = new Writer(db, writerConnection);
    RowCodec rows = new RowCodec(config.path(), config.artifactThreshold(), config.clock());
    this.readers = new StoreReaders(config.path(), db, rows);
    this.leases = new Leases(config, writer);
    this.writes = new RunWrites(config, writer, rows, leases);
    this.retention = new Retention(writer, config.clock());
    this.queue = new RunQueue(config, writer, readers, leases);
  }

  /** Opens (creating, migrating) the database described by {@code config}. */
  public static SqliteStore open(StoreConfig config) {
    Database db = new Database(config);
    db.prepare();
    Connection w = db.openWriter();
    try {
      db.migrate(w);
    } catch (RuntimeException e) {
      Database.closeQuietly(List.of(w));
      throw e;
    }
    return new SqliteStore(config, db, w);
  }

  /** The database file. */
  public Path path() {
    return config.path();
  }

  /** The owner this store takes leases as. */
  public String ownerId() {
    return config.ownerId();
  }

  /** {@code run '<id>'}, the subject of messages about a run. */
  static String runSubject(String runId) {
    return "run '" + runId + "'";
  }

  // ------------------------------------------------------------------ runs and leases

  /** Records a new run, owned by this store's owner; its log holds lease 1. */
  public SqliteRunLog create(RunRecord run) {
    long runKey = writes.create(run);
    SqliteRunLog l = new SqliteRunLog(this, run, List.of(), runKey, 1, false, -1);
    leases.track(l);
    return l;
  }

  /** Takes the lease of a stored run and reads it back. */
  public SqliteRunLog open(String runId) {
    Leases.Lease lease = leases.acquire(runId);
    try {
      record Snapshot(RunRecord run, List<StepRecord> steps) {}
      Snapshot s =
          readers.read(
              runSubject(runId),
              "cannot read the run",
              c -> {
                RunRecord run =
                    readers
                        .findIn(c, runId)
                        .orElseThrow(
                            () ->
                                new RunNotFoundException(
                                    runId,
                                    "no run '" + runId + "' in the checkpoint store " + path()));
                return new Snapshot(run, readers.stepsIn(c, runId));
              });
      SqliteRunLog l =
          new SqliteRunLog(
              this,
              s.run(),
              s.steps(),
              lease.runKey(),
              lease.version(),
              true,
              lease.callSeqAtOpen());
      leases.track(l);
      return l;
    } catch (RuntimeException e) {
      leases.release(lease.runKey(), runId, lease.version());
      throw e;
    }
  }

  /** Records a new queued run, owned by no one. */
  public void enqueue(RunRecord run) {
    writes.enqueue(run);
  }

  /** Claims the queued run {@code runId} for this store's owner; empty if it is not queued. */
  public Optional<SqliteRunLog> claim(String runId) {
    return Optional.ofNullable(queue.claim(runId)).map(this::track);
  }

  /**
   * Claims the next queued run (highest priority, oldest first), else a running run whose lease was
   * released or expired; empty if there is none.
   */
  public Optional<SqliteRunLog> claimNext() {
    return Optional.ofNullable(queue.claimNext()).map(this::track);
  }

  private SqliteRunLog track(RunQueue.Claimed c) {
    SqliteRunLog l =
        new SqliteRunLog(
            this, c.run(), c.steps(), c.runKey(), c.leaseVersion(), true, c.callSeqAtOpen());
    leases.track(l);
    return l;
  }

  /** The writes of the run logs. */
  RunWrites writes() {
    return writes;
  }

  /** Stops renewing {@code l}'s lease: it is being given up. */
  void forget(SqliteRunLog l) {
    leases.forget(l);
  }

  /**
   * Releases {@code l}'s lease with the deferred steps {@code carried}, unless the store is closed.
   */
  void release(SqliteRunLog l, List<RunWrites.EncodedStep> carried) {
    if (!closed) writes.release(l, carried);
  }

  // ------------------------------------------------------------------ queries

  /** The run, if stored. */
  public Optional<RunRecord> find(String runId) {
    return readers.find(runId);
  }

  /** The runs that match {@code query}, newest first. */
  public List<RunRecord> list(RunQuery query) {
    return readers.list(query);
  }

  /**
   * The runs that match {@code query} without their input, output and message (the columns are not
   * selected, so a large value costs nothing); a row that cannot be read back is reported, and the
   * others listed.
   */
  public RunListing summaries(RunQuery query) {
    return readers.summaries(query);
  }

  /** The run's step log, in append order; empty for an unknown run. */
  public List<StepRecord> steps(String runId) {
    return readers.steps(runId);
  }

  /** Every call of the run, in append order (by sequence); empty for an unknown run. */
  public List<CallRecord> calls(String runId) {
    return readers.calls(runId);
  }

  /** The calls of {@code stepKey} recorded up to {@code maxSeq} ({@code -1}: none), by sequence. */
  List<CallRecord> calls(SqliteRunLog l, String stepKey, long maxSeq) {
    return readers.calls(l, stepKey, maxSeq);
  }

  /** The artifacts the run refers to, oldest first. */
  public List<ArtifactInfo> artifacts(String runId) {
    return readers.artifacts(runId);
  }

  // ------------------------------------------------------------------ retention

  /**
   * Deletes finished runs (completed, failed, cancelled) beyond the newest {@code keepLast} runs,
   * with their steps, calls, lease history and the artifacts no remaining run refers to.
   */
  public int deleteRuns(int keepLast) {
    return retention.keepLast(keepLast);
  }

  /**
   * Deletes finished runs whose status last changed more than {@code age} ago, as {@link
   * #deleteRuns}.
   */
  public int deleteRunsOlderThan(Duration age) {
    return retention.olderThan(age);
  }

  /** Both retention rules in one transaction; see {@link Retention#prune}. */
  public int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    return retention.prune(keepLast, maxAge);
  }

  /**
   * Writes a consistent copy of the database to {@code target} ({@code VACUUM INTO}, on a
   * connection of its own: writers go on meanwhile, and the copy holds every transaction committed
   * before it started).
   */
  public void backup(Path target) {
    Path file = target.toAbsolutePath();
    if (java.nio.file.Files.exists(file)) {
      throw new dev.agentrt.core.CheckpointStoreException(
          "checkpoint store "
              + config.path()
              + ": cannot back up to "
              + file
              + ": the file exists (give a new file; a backup never overwrites one)");
    }
    try {
      if (file.getParent() != null) java.nio.file.Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new dev.agentrt.core.CheckpointStoreException(
          "checkpoint store " + config.path() + ": cannot back up to " + file + ": " + e, e);
    }
    Connection c = db.openReader();
    try (java.sql.PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
      ps.setString(1, file.toString());
      ps.execute();
    } catch (java.sql.SQLException e) {
      throw Database.failure(config.path(), null, "cannot back up to " + file, e);
    } finally {
      Database.closeQuietly(List.of(c));
    }
  }

  /** See {@link dev.agentrt.core.spi.CheckpointStore#delete}. */
  public boolean delete(String runId) {
    return retention.delete(runId, runSubject(runId));
  }

  // ------------------------------------------------------------------ for tests

  /** Transactions the writer committed. */
  public long commits() {
    return writer.commits();
  }

  /** Writes the writer committed (appends, status updates, leases, ...). */
  public long committedWrites() {
    return writer.committedOps();
  }

  /** WAL checkpoints run in the background (not by a commit). */
  public long checkpoints() {
    return writer.checkpoints();
  }

  /**
   * Stops or restarts lease renewal, to simulate a stalled process. Stopping waits for a renewal
   * already under way, so that no renewal reads the clock after this returns.
   */
  public void heartbeat(boolean enabled) {
    leases.heartbeat(enabled);
  }

  /** {@code journal_mode} and {@code synchronous} of the writer's and a reader's connection. */
  public Map<String, String> pragmas() {
    Map<String, String> out = new LinkedHashMap<>();
    StoreReaders.ReadOp<Map<String, String>> q =
        c -> {
          Map<String, String> m = new LinkedHashMap<>();
          for (String p :
              List.of("journal_mode", "synchronous", "busy_timeout", "wal_autocheckpoint")) {
            try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA " + p)) {
              r.next();
              m.put(p, r.getString(1));
            }
          }
          return m;
        };
    writer
        .submit(null, "pragmas", tx -> q.apply(tx.connection))
        .forEach((k, v) -> out.put("writer." + k, v));
    readers.read(null, "pragmas", q).forEach((k, v) -> out.put("reader." + k, v));
    return out;
  }

  /**
   * Releases the leases of logs still open, then stops the readers, the heartbeat and the writer.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    for (SqliteRunLog l : leases.tracked()) {
      log.warn(
          "checkpoint store {}: run '{}' is still open while the store closes; releasing its lease",
          path(),
          l.runId());
      l.close();
    }
    closed = true;
    readers.close();
    leases.close();
    writer.close();
  }
}
