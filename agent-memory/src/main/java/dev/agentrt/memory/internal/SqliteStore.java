package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.ArtifactInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite checkpoint store behind {@code SqliteCheckpointStore}: one writer connection for
 * every write (committed by the caller when idle, else group-committed by the writer thread), a
 * pool of reader connections, run leases renewed by a heartbeat thread.
 */
public final class SqliteStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
  private static final int MAX_IDLE_READERS = 8;
  private static final String TERMINAL = "('COMPLETED', 'FAILED', 'CANCELLED')";
  private static final String RUN_COLUMNS = "run_id, record_version, workflow_id, manifest_hash, engine_version, "
      + "input, input_artifact, status, reason, step_key, message, output, output_artifact, created_at_ns, "
      + "updated_at_ns";
  /** The columns of {@link RunSummary}: none of the values, whatever their size. */
  private static final String SUMMARY_COLUMNS = "run_id, record_version, workflow_id, status, reason, step_key, "
      + "created_at_ns, updated_at_ns";
  private static final String STEP_COLUMNS = "run_id, seq, record_version, step_key, node_id, attempts, status, "
      + "output, output_artifact, error, started_at_ns, duration_ns, usage";
  private static final String CALL_COLUMNS = "run_id, seq, record_version, step_key, idx, kind, name, request_hash, "
      + "request, request_artifact, response, response_artifact, usage, started_at_ns, duration_ns";
  private static final String INSERT_CALL = "INSERT INTO calls (" + CALL_COLUMNS + ") SELECT ?, (SELECT "
      + "coalesce(max(seq), 0) + 1 FROM calls WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
  /** {@link #INSERT_CALL} if the lease ({@code run_id, lease_version, lease_owner}) is current. */
  private static final String INSERT_CALL_FENCED = INSERT_CALL + " FROM runs WHERE run_id = ? AND lease_version = ? "
      + "AND lease_owner = ?";

  final StoreConfig config;
  private final Database db;
  private final Writer writer;
  private final BlockingQueue<Connection> idleReaders = new LinkedBlockingQueue<>();
  private final Set<SqliteRunLog> openLogs = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeat;
  private volatile boolean heartbeatEnabled = true;
  private volatile boolean closed;

  private SqliteStore(StoreConfig config, Database db, Connection writerConnection) {
    this.config = config;
    this.db = db;
    this.writer = new Writer(db, writerConnection);
    ScheduledThreadPoolExecutor hb = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "agentrt-sqlite-leases " + config.path().getFileName());
      t.setDaemon(true);
      return t;
    });
    hb.setRemoveOnCancelPolicy(true);
    this.heartbeat = hb;
    long period = Math.max(5, config.leaseTtl().toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
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

  public Path path() {
    return config.path();
  }

  public String ownerId() {
    return config.ownerId();
  }

  // ------------------------------------------------------------------ runs and leases

  public SqliteRunLog create(RunRecord run) {
    Encoded input = encode(run.input());
    Encoded output = encode(run.output());
    writer.submit(runSubject(run.runId()), "cannot create the run", tx -> {
      PreparedStatement exists = tx.prepare("SELECT 1 FROM runs WHERE run_id = ?");
      exists.setString(1, run.runId());
      try (ResultSet r = exists.executeQuery()) {
        if (r.next()) {
          throw new CheckpointStoreException("checkpoint store " + path() + ": run '" + run.runId()
              + "' already exists (run ids must be unique)");
        }
      }
      long now = config.clock().millis();
      PreparedStatement ps = tx.prepare("INSERT INTO runs (" + RUN_COLUMNS + ", lease_owner, lease_version, "
          + "lease_acquired_ms, lease_expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
      int i = 1;
      ps.setString(i++, run.runId());
      ps.setInt(i++, Schema.RECORD_VERSION);
      ps.setString(i++, run.workflowId());
      ps.setString(i++, run.manifestHash());
      ps.setString(i++, run.engineVersion());
      i = input.bind(tx, ps, i, run.runId());
      ps.setString(i++, run.status().name());
      setNullable(ps, i++, run.reason() == null ? null : run.reason().name());
      setNullable(ps, i++, run.stepKey());
      setNullable(ps, i++, run.message());
      i = output.bind(tx, ps, i, run.runId());
      ps.setLong(i++, Codec.nanos(run.createdAt()));
      ps.setLong(i++, Codec.nanos(run.updatedAt()));
      ps.setString(i++, config.ownerId());
      ps.setLong(i++, now);
      ps.setLong(i, now + config.leaseTtl().toMillis());
      ps.executeUpdate();
      event(tx, run.runId(), now, "created", 1, null, null);
      return null;
    });
    SqliteRunLog l = new SqliteRunLog(this, run, List.of(), 1, -1);
    openLogs.add(l);
    return l;
  }

  public SqliteRunLog open(String runId) {
    long[] acquired = writer.submit(runSubject(runId), "cannot take ownership of the run", tx -> {
      PreparedStatement q = tx.prepare("SELECT lease_owner, lease_version, lease_acquired_ms, lease_expires_ms "
          + "FROM runs WHERE run_id = ?");
      q.setString(1, runId);
      String owner;
      long version;
      long acquiredMs;
      long expiresMs;
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          throw new RunNotFoundException(runId, "no run '" + runId + "' in the checkpoint store " + path());
        }
        owner = r.getString(1);
        version = r.getLong(2);
        acquiredMs = r.getLong(3);
        expiresMs = r.getLong(4);
      }
      long now = config.clock().millis();
      if (owner != null && expiresMs > now) {
        throw new RunOwnedException(runId, owner, Instant.ofEpochMilli(expiresMs), "checkpoint store " + path() + ": "
            + ownedBy(runId, owner, acquiredMs)
            + " (lease " + version + ", expires " + Instant.ofEpochMilli(expiresMs) + "; resume it once that owner "
            + "has finished, or once its lease has expired if it crashed)");
      }
      long next = version + 1;
      PreparedStatement u = tx.prepare("UPDATE runs SET lease_owner = ?, lease_version = ?, lease_acquired_ms = ?, "
          + "lease_expires_ms = ? WHERE run_id = ? AND lease_version = ?");
      u.setString(1, config.ownerId());
      u.setLong(2, next);
      u.setLong(3, now);
      u.setLong(4, now + config.leaseTtl().toMillis());
      u.setString(5, runId);
      u.setLong(6, version);
      if (u.executeUpdate() != 1) throw new IllegalStateException("lease of run '" + runId + "' changed under the writer");
      if (owner != null) {
        log.warn("checkpoint store {}: run '{}': lease {} of {} expired at {}; taken over by {} (lease {})", path(), runId,
            version, owner, Instant.ofEpochMilli(expiresMs), config.ownerId(), next);
        event(tx, runId, now, "takeover", next, owner, version);
      } else {
        event(tx, runId, now, "acquired", next, null, null);
      }
      long callSeq;
      PreparedStatement c = tx.prepare("SELECT coalesce(max(seq), 0) FROM calls WHERE run_id = ?");
      c.setString(1, runId);
      try (ResultSet r = c.executeQuery()) {
        r.next();
        callSeq = r.getLong(1);
      }
      return new long[] {next, callSeq};
    });
    try {
      record Snapshot(RunRecord run, List<StepRecord> steps) {}
      Snapshot s = read(runSubject(runId), "cannot read the run", c -> {
        RunRecord run = findIn(c, runId).orElseThrow(() -> new RunNotFoundException(runId, "no run '" + runId
            + "' in the checkpoint store " + path()));
        return new Snapshot(run, stepsIn(c, runId));
      });
      SqliteRunLog l = new SqliteRunLog(this, s.run(), s.steps(), acquired[0], acquired[1]);
      openLogs.add(l);
      return l;
    } catch (RuntimeException e) {
      release(runId, acquired[0]);
      throw e;
    }
  }

  private String ownedBy(String runId, String owner, long sinceMs) {
    return "run '" + runId + "' is owned by " + owner + " since " + Instant.ofEpochMilli(sinceMs);
  }

  /**
   * Throws unless {@code log}'s lease is still the run's current one, saying who owns the run. The
   * fencing itself is the condition of each write ({@link #bindLease}); this explains a write that
   * changed no row.
   */
  private void checkLease(Writer.Tx tx, SqliteRunLog l, String context) throws SQLException {
    PreparedStatement q = tx.prepare("SELECT lease_owner, lease_version, lease_acquired_ms, lease_expires_ms FROM runs "
        + "WHERE run_id = ?");
    q.setString(1, l.runId);
    try (ResultSet r = q.executeQuery()) {
      if (!r.next()) {
        throw new CheckpointStoreException("checkpoint store " + path() + ": " + context + ": run '" + l.runId
            + "' was deleted while this engine owned it");
      }
      String owner = r.getString(1);
      long version = r.getLong(2);
      if (version == l.leaseVersion && config.ownerId().equals(owner)) return;
      if (owner == null) {
        // taken over and since released (the new owner finished or paused the run): still a lost
        // run for this engine, not a failed one
        String taker = leaseHolder(tx, l.runId, version);
        throw new RunOwnedException(l.runId, taker == null ? "another engine" : taker, config.clock().instant(),
            "checkpoint store " + path() + ": " + context + ": run '" + l.runId + "' is no longer owned by "
            + config.ownerId() + ": its lease " + l.leaseVersion + " was taken over"
            + (taker == null ? "" : " by " + taker) + " (lease " + version + ", since released); this engine must stop"
            + " the run");
      }
      throw new RunOwnedException(l.runId, owner, Instant.ofEpochMilli(r.getLong(4)), "checkpoint store " + path()
          + ": " + context + ": " + ownedBy(l.runId, owner, r.getLong(3)) + " (lease " + version + "; this log's "
          + "lease " + l.leaseVersion + " was taken over after it expired; this engine must stop the run)");
    }
  }

  /** The engine that took lease {@code version} of a run (from run_events), or null if none is recorded. */
  private static @Nullable String leaseHolder(Writer.Tx tx, String runId, long version) throws SQLException {
    PreparedStatement q = tx.prepare("SELECT owner FROM run_events WHERE run_id = ? AND lease_version = ? "
        + "AND event <> 'released' ORDER BY id DESC LIMIT 1");
    q.setString(1, runId);
    q.setLong(2, version);
    try (ResultSet r = q.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** Records a lease event taken by this store's owner. */
  private void event(Writer.Tx tx, String runId, long atMs, String event, long version, @Nullable String previous,
      @Nullable Long previousVersion) throws SQLException {
    PreparedStatement e = tx.prepare("INSERT INTO run_events (run_id, at_ms, event, owner, lease_version, "
        + "previous_owner, previous_version) VALUES (?, ?, ?, ?, ?, ?, ?)");
    e.setString(1, runId);
    e.setLong(2, atMs);
    e.setString(3, event);
    e.setString(4, config.ownerId());
    e.setLong(5, version);
    setNullable(e, 6, previous);
    if (previousVersion == null) e.setNull(7, Types.INTEGER);
    else e.setLong(7, previousVersion);
    e.executeUpdate();
  }

  void appendStep(SqliteRunLog l, StepRecord step, List<CallRecord> withStep) {
    Encoded output = encode(step.output());
    List<EncodedCall> calls = new ArrayList<>(withStep.size());
    for (CallRecord c : withStep) calls.add(encode(c));
    long started = Codec.nanos(step.startedAt());
    long duration = Codec.nanos(step.duration());
    String usage = Codec.usage(step.usage());
    String subject = runSubject(l.runId) + ", step '" + step.stepKey() + "'";
    Writer.Op<Void> op = tx -> {
      // the fencing check is the INSERT's condition: no row unless this log's lease is current
      PreparedStatement ps = tx.prepare("INSERT INTO steps (" + STEP_COLUMNS + ") SELECT ?, (SELECT coalesce(max(seq), 0) "
          + "+ 1 FROM steps WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM runs WHERE run_id = ? "
          + "AND lease_version = ? AND lease_owner = ?");
      int i = 1;
      ps.setString(i++, l.runId);
      ps.setString(i++, l.runId);
      ps.setInt(i++, Schema.RECORD_VERSION);
      ps.setString(i++, step.stepKey());
      ps.setString(i++, step.nodeId());
      ps.setInt(i++, step.attempts());
      ps.setString(i++, step.status().name());
      i = output.bind(tx, ps, i, l.runId);
      setNullable(ps, i++, step.error());
      ps.setLong(i++, started);
      ps.setLong(i++, duration);
      ps.setString(i++, usage);
      i = bindLease(ps, i, l);
      if (ps.executeUpdate() != 1) leaseLost(tx, l, subject + ": cannot append the step");
      for (EncodedCall c : calls) insertCall(tx, l.runId, c, null);
      return null;
    };
    if (calls.isEmpty() && output.inline()) writer.submitOneStatement(subject, "cannot append the step", op);
    else writer.submit(subject, "cannot append the step", op);
  }

  void appendCall(SqliteRunLog l, CallRecord call) {
    EncodedCall c = encode(call);
    String subject = runSubject(l.runId) + ", step '" + call.stepKey() + "', call " + call.index();
    Writer.Op<Void> op = tx -> {
      if (!insertCall(tx, l.runId, c, l)) leaseLost(tx, l, subject + ": cannot append the call");
      return null;
    };
    if (c.request().inline() && c.response().inline()) writer.submitOneStatement(subject, "cannot append the call", op);
    else writer.submit(subject, "cannot append the call", op);
  }

  private record EncodedCall(CallRecord call, Encoded request, Encoded response, String usage, long started,
      long duration) {}

  private EncodedCall encode(CallRecord c) {
    return new EncodedCall(c, encode(c.request()), encode(c.response()), Codec.usage(c.usage()),
        Codec.nanos(c.startedAt()), Codec.nanos(c.duration()));
  }

  /**
   * Inserts a call record; with {@code fence}, only if that log's lease is current.
   *
   * @return whether the row was inserted
   */
  private boolean insertCall(Writer.Tx tx, String runId, EncodedCall e, @Nullable SqliteRunLog fence)
      throws SQLException {
    CallRecord c = e.call();
    PreparedStatement ps = tx.prepare(fence == null ? INSERT_CALL : INSERT_CALL_FENCED);
    int i = 1;
    ps.setString(i++, runId);
    ps.setString(i++, runId);
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, c.stepKey());
    ps.setInt(i++, c.index());
    ps.setString(i++, c.kind());
    ps.setString(i++, c.name());
    ps.setString(i++, c.requestHash());
    i = e.request().bind(tx, ps, i, runId);
    i = e.response().bind(tx, ps, i, runId);
    ps.setString(i++, e.usage());
    ps.setLong(i++, e.started());
    ps.setLong(i++, e.duration());
    if (fence != null) bindLease(ps, i, fence);
    return ps.executeUpdate() == 1;
  }

  /** Binds {@code run_id = ? AND lease_version = ? AND lease_owner = ?} for {@code l}'s lease. */
  private int bindLease(PreparedStatement ps, int i, SqliteRunLog l) throws SQLException {
    ps.setString(i++, l.runId);
    ps.setLong(i++, l.leaseVersion);
    ps.setString(i++, config.ownerId());
    return i;
  }

  /** A fenced write changed no row: throws, saying who owns the run now. */
  private void leaseLost(Writer.Tx tx, SqliteRunLog l, String context) throws SQLException {
    checkLease(tx, l, context);
    throw new IllegalStateException(context + ": the write changed no row although run '" + l.runId + "' is owned by "
        + "lease " + l.leaseVersion);
  }

  void updateStatus(SqliteRunLog l, RunStatus status, @Nullable FailureReason reason, @Nullable String stepKey,
      @Nullable String message, JsonNode output) {
    Encoded out = encode(output);
    long now = Codec.nanos(config.clock().instant());
    Writer.Op<Void> op = tx -> {
      PreparedStatement ps = tx.prepare("UPDATE runs SET status = ?, reason = ?, step_key = ?, message = ?, output = ?, "
          + "output_artifact = ?, updated_at_ns = ? WHERE run_id = ? AND lease_version = ? AND lease_owner = ?");
      ps.setString(1, status.name());
      setNullable(ps, 2, reason == null ? null : reason.name());
      setNullable(ps, 3, stepKey);
      setNullable(ps, 4, message);
      out.bind(tx, ps, 5, l.runId);
      ps.setLong(7, now);
      bindLease(ps, 8, l);
      if (ps.executeUpdate() != 1) leaseLost(tx, l, runSubject(l.runId) + ": cannot record status " + status);
      return null;
    };
    if (out.inline()) writer.submitOneStatement(runSubject(l.runId), "cannot record status " + status, op);
    else writer.submit(runSubject(l.runId), "cannot record status " + status, op);
  }

  void close(SqliteRunLog l) {
    openLogs.remove(l);
    if (!closed) release(l.runId, l.leaseVersion);
  }

  private void release(String runId, long version) {
    try {
      writer.submit(runSubject(runId), "cannot release the run's lease", tx -> {
        PreparedStatement u = tx.prepare("UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL "
            + "WHERE run_id = ? AND lease_version = ? AND lease_owner = ?");
        u.setString(1, runId);
        u.setLong(2, version);
        u.setString(3, config.ownerId());
        if (u.executeUpdate() == 1) event(tx, runId, config.clock().millis(), "released", version, null, null);
        return null;
      });
    } catch (CheckpointStoreException e) {
      log.warn("checkpoint store {}: run '{}': the lease could not be released; it expires on its own", path(), runId, e);
    }
  }

  private void renewLeases() {
    if (!heartbeatEnabled || openLogs.isEmpty() || closed) return;
    List<SqliteRunLog> logs = new ArrayList<>(openLogs);
    try {
      writer.submit(null, "cannot renew run leases", tx -> {
        long now = config.clock().millis();
        PreparedStatement u = tx.prepare("UPDATE runs SET lease_expires_ms = ? WHERE run_id = ? AND lease_version = ? "
            + "AND lease_owner = ?");
        for (SqliteRunLog l : logs) {
          u.setLong(1, now + config.leaseTtl().toMillis());
          u.setString(2, l.runId);
          u.setLong(3, l.leaseVersion);
          u.setString(4, config.ownerId());
          if (u.executeUpdate() == 0 && openLogs.remove(l)) {
            log.warn("checkpoint store {}: run '{}': lease {} was taken over by another owner; this engine can no longer "
                + "append to the run", path(), l.runId, l.leaseVersion);
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("checkpoint store {}: renewing run leases failed; they expire unless renewed", path(), e);
    }
  }

  // ------------------------------------------------------------------ queries

  public Optional<RunRecord> find(String runId) {
    return read(runSubject(runId), "cannot read the run", c -> findIn(c, runId));
  }

  public List<RunRecord> list(RunQuery query) {
    return read(null, "cannot list runs", c -> {
      List<Object> args = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs" + where(query, args))) {
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        List<RunRecord> out = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) out.add(runFrom(c, r));
        }
        return out;
      }
    });
  }

  /**
   * The runs that match {@code query} without their input, output and message (the columns are
   * not selected, so a large value costs nothing); a row that cannot be read back is reported, and
   * the others listed.
   */
  public RunListing summaries(RunQuery query) {
    return read(null, "cannot list runs", c -> {
      List<Object> args = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM runs"
          + where(query, args))) {
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        List<RunSummary> runs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            try {
              runs.add(summaryFrom(r));
            } catch (CheckpointStoreException e) {
              unreadable.add(e.getMessage());
            }
          }
        }
        return new RunListing(runs, unreadable);
      }
    });
  }

  /** {@code WHERE ... ORDER BY ... LIMIT ?} of {@code query}, its arguments added to {@code args}. */
  private static String where(RunQuery query, List<Object> args) {
    StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
    query.workflowId().ifPresent(w -> {
      sql.append(" AND workflow_id = ?");
      args.add(w);
    });
    query.status().ifPresent(s -> {
      sql.append(" AND status = ?");
      args.add(s.name());
    });
    query.since().ifPresent(t -> {
      sql.append(" AND created_at_ns >= ?");
      args.add(Codec.nanos(t));
    });
    sql.append(" ORDER BY created_at_ns DESC, run_id DESC LIMIT ?");
    args.add(query.limit());
    return sql.toString();
  }

  public List<StepRecord> steps(String runId) {
    return read(runSubject(runId), "cannot read the step log", c -> stepsIn(c, runId));
  }

  /** Every call of the run, in append order (by sequence); empty for an unknown run. */
  public List<CallRecord> calls(String runId) {
    return read(runSubject(runId), "cannot read the calls", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE run_id = ? "
          + "ORDER BY seq")) {
        ps.setString(1, runId);
        List<CallRecord> out = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) out.add(callFrom(c, r));
        }
        return out;
      }
    });
  }

  /** The calls of {@code stepKey} recorded up to {@code maxSeq} ({@code -1}: none), by sequence. */
  List<CallRecord> calls(String runId, String stepKey, long maxSeq) {
    if (maxSeq < 1) return List.of();
    return read(runSubject(runId) + ", step '" + stepKey + "'", "cannot read the calls", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE run_id = ? "
          + "AND step_key = ? AND seq <= ? ORDER BY seq")) {
        ps.setString(1, runId);
        ps.setString(2, stepKey);
        ps.setLong(3, maxSeq);
        List<CallRecord> out = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) out.add(callFrom(c, r));
        }
        return out;
      }
    });
  }

  public List<ArtifactInfo> artifacts(String runId) {
    return read(runSubject(runId), "cannot list the artifacts", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT a.sha256, a.size, a.created_at_ns FROM run_artifacts ra "
          + "JOIN artifacts a ON a.sha256 = ra.sha256 WHERE ra.run_id = ? ORDER BY a.created_at_ns, a.sha256")) {
        ps.setString(1, runId);
        List<ArtifactInfo> out = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) out.add(new ArtifactInfo(r.getString(1), r.getLong(2), Codec.instant(r.getLong(3))));
        }
        return out;
      }
    });
  }

  private Optional<RunRecord> findIn(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? Optional.of(runFrom(c, r)) : Optional.empty();
      }
    }
  }

  private List<StepRecord> stepsIn(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM steps WHERE run_id = ? ORDER BY seq")) {
      ps.setString(1, runId);
      List<StepRecord> out = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) out.add(stepFrom(c, r));
      }
      return out;
    }
  }

  private RunRecord runFrom(Connection c, ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    Path p = path();
    return new RunRecord(runId,
        required(w, "workflowId", r.getString(3)),
        required(w, "manifestHash", r.getString(4)),
        required(w, "engineVersion", r.getString(5)),
        json(c, w, "input", r.getString(6), r.getString(7)),
        Codec.enumValue(p, w, "status", RunStatus.class, r.getString(8)),
        r.getString(9) == null ? null : Codec.enumValue(p, w, "reason", FailureReason.class, r.getString(9)),
        r.getString(10),
        r.getString(11),
        json(c, w, "output", r.getString(12), r.getString(13)),
        Codec.instant(r.getLong(14)),
        Codec.instant(r.getLong(15)));
  }

  private RunSummary summaryFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    Path p = path();
    return new RunSummary(runId,
        required(w, "workflowId", r.getString(3)),
        Codec.enumValue(p, w, "status", RunStatus.class, r.getString(4)),
        r.getString(5) == null ? null : Codec.enumValue(p, w, "reason", FailureReason.class, r.getString(5)),
        r.getString(6),
        Codec.instant(r.getLong(7)),
        Codec.instant(r.getLong(8)));
  }

  private StepRecord stepFrom(Connection c, ResultSet r) throws SQLException {
    String runId = r.getString(1);
    long seq = r.getLong(2);
    String key = r.getString(4);
    Codec.Where w = () -> "run '" + runId + "', step '" + key + "' (seq " + seq + ")";
    checkVersion(w, r.getInt(3));
    Path p = path();
    return new StepRecord(runId,
        key,
        required(w, "nodeId", r.getString(5)),
        r.getInt(6),
        Codec.enumValue(p, w, "status", StepStatus.class, r.getString(7)),
        json(c, w, "output", r.getString(8), r.getString(9)),
        r.getString(10),
        Codec.instant(r.getLong(11)),
        Duration.ofNanos(r.getLong(12)),
        Codec.usage(p, w, r.getString(13)));
  }

  private CallRecord callFrom(Connection c, ResultSet r) throws SQLException {
    String runId = r.getString(1);
    long seq = r.getLong(2);
    String key = r.getString(4);
    int index = r.getInt(5);
    Codec.Where w = () -> "run '" + runId + "', step '" + key + "', call " + index + " (seq " + seq + ")";
    checkVersion(w, r.getInt(3));
    return new CallRecord(runId,
        key,
        index,
        required(w, "kind", r.getString(6)),
        required(w, "name", r.getString(7)),
        required(w, "requestHash", r.getString(8)),
        json(c, w, "request", r.getString(9), r.getString(10)),
        json(c, w, "response", r.getString(11), r.getString(12)),
        Codec.usage(path(), w, r.getString(13)),
        Codec.instant(r.getLong(14)),
        Duration.ofNanos(r.getLong(15)));
  }

  private void checkVersion(Codec.Where w, int version) {
    if (version != Schema.RECORD_VERSION) {
      throw Codec.corrupt(path(), w, "record_version", "unknown record version " + version + " (this agentrt reads "
          + "version " + Schema.RECORD_VERSION + "; a newer agentrt wrote it)");
    }
  }

  private String required(Codec.Where w, String field, @Nullable String value) {
    if (value == null) throw Codec.corrupt(path(), w, field, "missing (NULL)");
    return value;
  }

  private JsonNode json(Connection c, Codec.Where w, String field, @Nullable String inline, @Nullable String artifact)
      throws SQLException {
    if (artifact == null) {
      if ("null".equals(inline)) return NullNode.getInstance();
      return Codec.parse(path(), w, field, inline == null ? null : inline.getBytes(StandardCharsets.UTF_8));
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT content FROM artifacts WHERE sha256 = ?")) {
      ps.setString(1, artifact);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) throw Codec.corrupt(path(), w, field, "artifact " + artifact + " is missing");
        byte[] bytes = r.getBytes(1);
        if (bytes == null || !Codec.sha256(bytes).equals(artifact)) {
          throw Codec.corrupt(path(), w, field, "artifact " + artifact + " does not match its SHA-256");
        }
        return Codec.parse(path(), w, field, bytes);
      }
    }
  }

  // ------------------------------------------------------------------ retention

  /**
   * Deletes finished runs (completed, failed, cancelled) beyond the newest {@code keepLast} runs,
   * with their steps, calls, lease history and the artifacts no remaining run refers to.
   */
  public int deleteRuns(int keepLast) {
    return deleteWhere("run_id NOT IN (SELECT run_id FROM runs ORDER BY created_at_ns DESC, run_id DESC LIMIT ?)",
        keepLast);
  }

  /** Deletes finished runs whose status last changed more than {@code age} ago, as {@link #deleteRuns}. */
  public int deleteRunsOlderThan(Duration age) {
    long cutoff = Codec.nanos(config.clock().instant().minus(age));
    return deleteWhere("updated_at_ns < ?", cutoff);
  }

  private int deleteWhere(String condition, long arg) {
    return writer.submit(null, "cannot delete runs", tx -> {
      PreparedStatement q = tx.prepare("SELECT run_id FROM runs WHERE " + condition + " AND status IN " + TERMINAL
          + " AND (lease_owner IS NULL OR lease_expires_ms <= ?)");
      q.setLong(1, arg);
      q.setLong(2, config.clock().millis());
      List<String> ids = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) ids.add(r.getString(1));
      }
      for (String id : ids) {
        for (String table : List.of("calls", "steps", "run_events", "run_artifacts", "runs")) {
          PreparedStatement d = tx.prepare("DELETE FROM " + table + " WHERE run_id = ?");
          d.setString(1, id);
          d.executeUpdate();
        }
      }
      if (!ids.isEmpty()) {
        tx.exec("DELETE FROM artifacts WHERE NOT EXISTS (SELECT 1 FROM run_artifacts ra WHERE ra.sha256 = artifacts.sha256)");
      }
      return ids.size();
    });
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * A JSON value encoded before the write: inline {@code text}, or an artifact ({@code bytes} with
   * their hash).
   */
  private record Encoded(@Nullable String text, byte @Nullable [] bytes, @Nullable String sha256, long createdAtNs) {
    static final Encoded NULL = new Encoded("null", null, null, 0);

    /** Whether the value is stored in its column (binding it executes no statement). */
    boolean inline() {
      return sha256 == null;
    }

    /** Binds the value's two columns (inline, artifact) and returns the next parameter index. */
    int bind(Writer.Tx tx, PreparedStatement ps, int i, String runId) throws SQLException {
      if (sha256 == null || bytes == null) {
        ps.setString(i, text);
        ps.setNull(i + 1, Types.VARCHAR);
        return i + 2;
      }
      PreparedStatement a = tx.prepare("INSERT OR IGNORE INTO artifacts (sha256, size, content, created_at_ns) "
          + "VALUES (?, ?, ?, ?)");
      a.setString(1, sha256);
      a.setLong(2, bytes.length);
      a.setBytes(3, bytes);
      a.setLong(4, createdAtNs);
      a.executeUpdate();
      PreparedStatement ra = tx.prepare("INSERT OR IGNORE INTO run_artifacts (run_id, sha256) VALUES (?, ?)");
      ra.setString(1, runId);
      ra.setString(2, sha256);
      ra.executeUpdate();
      ps.setNull(i, Types.VARCHAR);
      ps.setString(i + 1, sha256);
      return i + 2;
    }
  }

  private Encoded encode(JsonNode value) {
    if (value.isNull()) return Encoded.NULL;
    String text = Codec.jsonText(value);
    int threshold = config.artifactThreshold();
    // a UTF-8 encoding has at most 3 bytes per char: only long text needs counting
    if ((long) text.length() * 3 <= threshold) return new Encoded(text, null, null, 0);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= threshold) return new Encoded(text, null, null, 0);
    return new Encoded(null, bytes, Codec.sha256(bytes), Codec.nanos(config.clock().instant()));
  }

  private static void setNullable(PreparedStatement ps, int i, @Nullable String value) throws SQLException {
    if (value == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, value);
  }

  private static String runSubject(String runId) {
    return "run '" + runId + "'";
  }

  interface ReadOp<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code op} in a read transaction on a pooled reader connection. */
  private <T> T read(@Nullable String subject, String what, ReadOp<T> op) {
    if (closed) {
      throw new CheckpointStoreException("checkpoint store " + path() + ": " + (subject == null ? "" : subject + ": ")
          + what + ": the store is closed");
    }
    Connection c = idleReaders.poll();
    if (c == null) c = db.openReader();
    boolean reusable = false;
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN");
      try {
        T result = op.apply(c);
        s.execute("COMMIT");
        reusable = true;
        return result;
      } catch (RuntimeException e) {
        s.execute("ROLLBACK");
        reusable = true;
        throw e;
      }
    } catch (SQLException e) {
      throw Database.failure(path(), subject, what, e);
    } finally {
      if (reusable && !closed && idleReaders.size() < MAX_IDLE_READERS) idleReaders.offer(c);
      else Database.closeQuietly(List.of(c));
    }
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
    this.heartbeatEnabled = enabled;
    if (enabled || closed) return;
    try {
      heartbeat.submit(() -> {}).get(); // the heartbeat has one thread: this runs after the renewal in flight
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // closing: no renewal follows either
    }
  }

  /** {@code journal_mode} and {@code synchronous} of the writer's and a reader's connection. */
  public Map<String, String> pragmas() {
    Map<String, String> out = new LinkedHashMap<>();
    ReadOp<Map<String, String>> q = c -> {
      Map<String, String> m = new LinkedHashMap<>();
      for (String p : List.of("journal_mode", "synchronous", "busy_timeout", "wal_autocheckpoint")) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + p)) {
          r.next();
          m.put(p, r.getString(1));
        }
      }
      return m;
    };
    writer.submit(null, "pragmas", tx -> q.apply(tx.connection)).forEach((k, v) -> out.put("writer." + k, v));
    read(null, "pragmas", q).forEach((k, v) -> out.put("reader." + k, v));
    return out;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    for (SqliteRunLog l : new ArrayList<>(openLogs)) {
      log.warn("checkpoint store {}: run '{}' is still open while the store closes; releasing its lease", path(), l.runId);
      l.close();
    }
    closed = true;
    heartbeat.shutdownNow();
    writer.close();
    List<Connection> idle = new ArrayList<>();
    idleReaders.drainTo(idle);
    Database.closeQuietly(idle);
  }
}
