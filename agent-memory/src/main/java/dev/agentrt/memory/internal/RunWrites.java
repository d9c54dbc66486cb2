package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.spi.StoreValues;
import dev.agentrt.memory.internal.RowCodec.Encoded;
import dev.agentrt.memory.internal.RowCodec.EncodedCall;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of a run, as operations for the {@link Writer}: creating the run (with its first
 * lease), appending steps and calls, recording its status. Rows refer to their run by its {@code
 * run_key}. Values are encoded before the write, on the caller's thread; every write of a log is
 * fenced by its lease ({@link Leases#bind}). A write that runs a single statement goes to {@link
 * Writer#submitOneStatement}.
 */
final class RunWrites {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  private static final String INSERT_CALL_SELECT =
      "INSERT INTO calls ("
          + RowCodec.CALL_INSERT_COLUMNS
          + ") SELECT r.run_key, (SELECT coalesce(max(c.seq), 0) + 1 FROM calls c "
          + "WHERE c.run_key = r.run_key), "
          + params(13)
          + " FROM runs r WHERE ";

  /** Appends a call as the run's next (its {@code seq}), if the run {@code run_key = ?} exists. */
  private static final String INSERT_CALL = INSERT_CALL_SELECT + "run_key = ?";

  /** {@link #INSERT_CALL} if the lease is current ({@link Leases#bind}). */
  private static final String INSERT_CALL_FENCED = INSERT_CALL_SELECT + Leases.FENCE;

  /** Appends a step as the run's next, if the lease is current ({@link Leases#bind}). */
  private static final String INSERT_STEP =
      "INSERT INTO steps ("
          + RowCodec.STEP_INSERT_COLUMNS
          + ") SELECT r.run_key, (SELECT coalesce(max(s.seq), 0) + 1 FROM steps s "
          + "WHERE s.run_key = r.run_key), "
          + params(11)
          + " FROM runs r WHERE "
          + Leases.FENCE;

  private static final String INSERT_RUN =
      "INSERT INTO runs ("
          + RowCodec.RUN_INSERT_COLUMNS
          + ") VALUES ("
          + params(RowCodec.RUN_INSERT_COLUMNS.split(",").length)
          + ")";

  private static final String UPDATE_STATUS =
      "UPDATE runs SET status = ?, reason = ?, step_key = ?, message = ?, output = ?, "
          + "output_artifact = ?, updated_at_ns = ? WHERE "
          + Leases.FENCE;

  /** {@link #UPDATE_STATUS} that also releases the lease. */
  private static final String FINISH =
      "UPDATE runs SET status = ?, reason = ?, step_key = ?, message = ?, output = ?, "
          + "output_artifact = ?, updated_at_ns = ?, "
          + Leases.RELEASED
          + " WHERE "
          + Leases.FENCE;

  private final StoreConfig config;
  private final Writer writer;
  private final RowCodec rows;
  private final Leases leases;

  RunWrites(StoreConfig config, Writer writer, RowCodec rows, Leases leases) {
    this.config = config;
    this.writer = writer;
    this.rows = rows;
    this.leases = leases;
  }

  private static String params(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * Inserts {@code run} with lease 1 of this store's owner (recorded in the row only).
   *
   * @return its {@code run_key}
   */
  long create(RunRecord run) {
    return insert(run, true, "cannot create the run");
  }

  /** Inserts the queued {@code run}, owned by no one (lease 0, so that its first claim is 1). */
  void enqueue(RunRecord run) {
    insert(run, false, "cannot enqueue the run");
  }

  private long insert(RunRecord run, boolean owned, String what) {
    Encoded input = rows.encode(run.input());
    Encoded output = rows.encode(run.output());
    String options = StoreValues.options(run);
    Object message = RowCodec.storedMessage(run.stepKey(), run.message());
    return writer.submit(
        SqliteStore.runSubject(run.runId()),
        what,
        tx -> {
          PreparedStatement exists = tx.prepare("SELECT 1 FROM runs WHERE run_id = ?");
          exists.setString(1, run.runId());
          try (ResultSet r = exists.executeQuery()) {
            if (r.next()) {
              throw new CheckpointStoreException(
                  "checkpoint store "
                      + config.path()
                      + ": run '"
                      + run.runId()
                      + "' already exists (run ids must be unique)");
            }
          }
          long manifest = manifestKey(tx, run);
          long key = nextRunKey(tx);
          long now = config.clock().millis();
          PreparedStatement ps = tx.prepare(INSERT_RUN);
          int i = 1;
          ps.setLong(i++, key);
          ps.setString(i++, run.runId());
          ps.setInt(i++, Schema.RECORD_VERSION);
          ps.setLong(i++, manifest);
          i = input.bind(tx, ps, i, key);
          ps.setInt(i++, Codes.RUN_STATUS.of(run.status()));
          setReason(ps, i++, run.reason());
          RowCodec.setNullable(ps, i++, run.stepKey());
          setMessage(ps, i++, message);
          i = output.bind(tx, ps, i, key);
          ps.setLong(i++, Codec.nanos(run.createdAt()));
          ps.setLong(i++, Codec.nanos(run.updatedAt()));
          RowCodec.setNullable(ps, i++, options);
          ps.setInt(i++, run.priority());
          RowCodec.setNullable(ps, i++, run.parentRunId());
          RowCodec.setNullable(ps, i++, run.forkedFromStep());
          if (owned) {
            ps.setString(i++, config.ownerId());
            ps.setLong(i++, 1);
            ps.setLong(i++, now);
            ps.setLong(i, now + config.leaseTtl().toMillis());
          } else {
            ps.setNull(i++, Types.VARCHAR);
            ps.setLong(i++, 0);
            ps.setNull(i++, Types.INTEGER);
            ps.setNull(i, Types.INTEGER);
          }
          ps.executeUpdate();
          // no run_events row: the creator's lease 1 is the runs row itself (its release is not
          // recorded either), so that a run that never changes hands costs no lease history
          return key;
        });
  }

  /**
   * The {@code run_key} of the run inserted next: known before the insert, as the run's artifacts
   * refer to it. The writer's transaction holds the database's write lock, so no other process
   * takes it meanwhile; a key freed by a deletion may be taken again, which is why every write of a
   * log is fenced by the run's id too ({@link Leases#FENCE}).
   */
  private static long nextRunKey(Writer.Tx tx) throws SQLException {
    try (ResultSet r =
        tx.prepare("SELECT coalesce(max(run_key), 0) + 1 FROM runs").executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static long lastRowId(Writer.Tx tx) throws SQLException {
    try (ResultSet r = tx.prepare("SELECT last_insert_rowid()").executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  /** The key of the run's (workflow, manifest hash, engine version), added if new. */
  private static long manifestKey(Writer.Tx tx, RunRecord run) throws SQLException {
    PreparedStatement q =
        tx.prepare(
            "SELECT manifest_key FROM manifests WHERE workflow_id = ? AND manifest_hash = ? "
                + "AND engine_version = ?");
    q.setString(1, run.workflowId());
    q.setString(2, run.manifestHash());
    q.setString(3, run.engineVersion());
    try (ResultSet r = q.executeQuery()) {
      if (r.next()) return r.getLong(1);
    }
    PreparedStatement ins =
        tx.prepare(
            "INSERT INTO manifests (workflow_id, manifest_hash, engine_version) VALUES (?, ?, ?)");
    ins.setString(1, run.workflowId());
    ins.setString(2, run.manifestHash());
    ins.setString(3, run.engineVersion());
    ins.executeUpdate();
    return lastRowId(tx);
  }

  /** A step encoded before its write (as a deferred step waits for the log's next write). */
  record EncodedStep(StepRecord step, Encoded output) {}

  /**
   * {@code step} encoded.
   *
   * @throws IllegalArgumentException if the store cannot hold its output
   */
  EncodedStep encode(StepRecord step) {
    return new EncodedStep(step, rows.encode(step.output()));
  }

  /**
   * Appends {@code step} with its calls, after the log's deferred steps. The values are encoded
   * first: one the store cannot hold fails the call, and the deferred steps wait on.
   */
  void appendStep(SqliteRunLog l, StepRecord step, List<CallRecord> withStep) {
    Encoded output = rows.encode(step.output());
    List<EncodedCall> calls = new ArrayList<>(withStep.size());
    for (CallRecord c : withStep) calls.add(rows.encode(c));
    l.write(carried -> appendStep(l, carried, step, output, calls));
  }

  private void appendStep(
      SqliteRunLog l,
      List<EncodedStep> carried,
      StepRecord step,
      Encoded output,
      List<EncodedCall> calls) {
    String subject = SqliteStore.runSubject(l.runId()) + ", step '" + step.stepKey() + "'";
    Writer.Op<Void> op =
        tx -> {
          insertCarried(tx, l, carried, subject + ": cannot append the step");
          // the fencing check is the INSERT's condition: no row unless this log's lease is current
          if (!insertStep(tx, l, step, output))
            leases.lost(tx, l, subject + ": cannot append the step");
          for (EncodedCall c : calls) insertCall(tx, l, c, false);
          return null;
        };
    if (carried.isEmpty() && calls.isEmpty() && output.inline())
      writer.submitOneStatement(subject, "cannot append the step", op);
    else writer.submit(subject, "cannot append the step", op);
  }

  /** Inserts the deferred steps {@code carried}; throws as a fenced write if the lease is lost. */
  private void insertCarried(
      Writer.Tx tx, SqliteRunLog l, List<EncodedStep> carried, String context) throws SQLException {
    for (EncodedStep d : carried) {
      if (!insertStep(tx, l, d.step(), d.output())) leases.lost(tx, l, context);
    }
  }

  /**
   * Inserts {@code step} if {@code l}'s lease is current.
   *
   * @return whether the row was inserted
   */
  private boolean insertStep(Writer.Tx tx, SqliteRunLog l, StepRecord step, Encoded output)
      throws SQLException {
    PreparedStatement ps = tx.prepare(INSERT_STEP);
    int i = 1;
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, step.stepKey());
    RowCodec.setNullable(ps, i++, RowCodec.storedNodeId(step.stepKey(), step.nodeId()));
    ps.setInt(i++, step.attempts());
    ps.setInt(i++, Codes.STEP_STATUS.of(step.status()));
    i = output.bind(tx, ps, i, l.runKey);
    RowCodec.setNullable(ps, i++, step.error());
    ps.setLong(i++, Codec.nanos(step.startedAt()) - l.createdNs);
    ps.setLong(i++, Codec.nanos(step.duration()));
    RowCodec.bindUsage(ps, i++, step.usage());
    leases.bind(ps, i, l);
    return ps.executeUpdate() == 1;
  }

  /** Appends a call of a step still running, after the log's deferred steps. */
  void appendCall(SqliteRunLog l, CallRecord call) {
    EncodedCall c = rows.encode(call);
    l.write(carried -> appendCall(l, carried, c));
  }

  private void appendCall(SqliteRunLog l, List<EncodedStep> carried, EncodedCall c) {
    CallRecord call = c.call();
    String subject =
        SqliteStore.runSubject(l.runId()) + ", step '" + call.stepKey() + "', call " + call.index();
    Writer.Op<Void> op =
        tx -> {
          insertCarried(tx, l, carried, subject + ": cannot append the call");
          if (!insertCall(tx, l, c, true)) leases.lost(tx, l, subject + ": cannot append the call");
          return null;
        };
    if (carried.isEmpty() && c.inline())
      writer.submitOneStatement(subject, "cannot append the call", op);
    else writer.submit(subject, "cannot append the call", op);
  }

  /**
   * Inserts a call record of {@code l}'s run; with {@code fence}, only if {@code l}'s lease is
   * current (else the step it comes with is fenced).
   *
   * @return whether the row was inserted
   */
  private boolean insertCall(Writer.Tx tx, SqliteRunLog l, EncodedCall e, boolean fence)
      throws SQLException {
    CallRecord c = e.call();
    PreparedStatement ps = tx.prepare(fence ? INSERT_CALL_FENCED : INSERT_CALL);
    int i = 1;
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, c.stepKey());
    ps.setInt(i++, c.index());
    ps.setString(i++, c.kind().wireName());
    ps.setString(i++, c.name());
    ps.setString(i++, c.requestHash());
    i = e.request().bind(tx, ps, i, l.runKey);
    i = e.response().bind(tx, ps, i, l.runKey);
    ps.setLong(i++, e.started());
    ps.setLong(i++, e.duration());
    RowCodec.bindUsage(ps, i++, c.usage());
    if (fence) leases.bind(ps, i, l);
    else ps.setLong(i, l.runKey);
    return ps.executeUpdate() == 1;
  }

  /**
   * Records the run's status after the deferred steps {@code carried}; with {@code release}, also
   * releases the lease, in the same statement ({@link SqliteRunLog#finish}).
   */
  void updateStatus(
      SqliteRunLog l,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      boolean release) {
    Encoded out = rows.encode(output);
    Object storedMessage = RowCodec.storedMessage(stepKey, message);
    l.write(
        carried -> updateStatus(l, carried, status, reason, stepKey, storedMessage, out, release));
  }

  private void updateStatus(
      SqliteRunLog l,
      List<EncodedStep> carried,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable Object storedMessage,
      Encoded out,
      boolean release) {
    long now = Codec.nanos(config.clock().instant());
    String subject = SqliteStore.runSubject(l.runId());
    String what = "cannot record status " + status;
    Writer.Op<Void> op =
        tx -> {
          insertCarried(tx, l, carried, subject + ": " + what);
          PreparedStatement ps = tx.prepare(release ? FINISH : UPDATE_STATUS);
          ps.setInt(1, Codes.RUN_STATUS.of(status));
          setReason(ps, 2, reason);
          RowCodec.setNullable(ps, 3, stepKey);
          setMessage(ps, 4, storedMessage);
          out.bind(tx, ps, 5, l.runKey);
          ps.setLong(7, now);
          leases.bind(ps, 8, l);
          if (ps.executeUpdate() != 1) leases.lost(tx, l, subject + ": " + what);
          if (release && l.leaseRecorded) leases.released(tx, l.runKey, l.leaseVersion);
          return null;
        };
    if (carried.isEmpty() && out.inline() && !(release && l.leaseRecorded))
      writer.submitOneStatement(subject, what, op);
    else writer.submit(subject, what, op);
  }

  /**
   * Releases {@code l}'s lease after inserting the deferred steps {@code carried}, unless the run
   * was taken over (then neither is written: the new owner redoes the steps). A failure is logged:
   * the lease expires anyway.
   */
  void release(SqliteRunLog l, List<EncodedStep> carried) {
    Writer.Op<Void> op =
        tx -> {
          for (EncodedStep d : carried) {
            if (!insertStep(tx, l, d.step(), d.output())) return null; // taken over
          }
          PreparedStatement u =
              tx.prepare("UPDATE runs SET " + Leases.RELEASED + " WHERE " + Leases.FENCE);
          leases.bind(u, 1, l);
          if (u.executeUpdate() == 1 && l.leaseRecorded)
            leases.released(tx, l.runKey, l.leaseVersion);
          return null;
        };
    String subject = SqliteStore.runSubject(l.runId());
    try {
      if (carried.isEmpty() && !l.leaseRecorded)
        writer.submitOneStatement(subject, "cannot release the run's lease", op);
      else writer.submit(subject, "cannot release the run's lease", op);
    } catch (CheckpointStoreException e) {
      log.warn(
          "checkpoint store {}: run '{}': the lease could not be released; it expires on its own",
          config.path(),
          l.runId(),
          e);
    }
  }

  private static void setReason(PreparedStatement ps, int i, @Nullable FailureReason reason)
      throws SQLException {
    if (reason == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, Codes.REASON.of(reason));
  }

  private static void setMessage(PreparedStatement ps, int i, @Nullable Object message)
      throws SQLException {
    if (message instanceof Integer code) ps.setInt(i, code);
    else RowCodec.setNullable(ps, i, (String) message);
  }
}
