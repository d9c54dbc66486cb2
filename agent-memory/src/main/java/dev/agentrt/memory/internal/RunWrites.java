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

/**
 * The writes of a run, as operations for the {@link Writer}: creating the run (with its first
 * lease), appending steps and calls, recording its status. Values are encoded before the write, on
 * the caller's thread; every write of a log is fenced by its lease ({@link Leases#bind}). A write
 * that runs a single statement goes to {@link Writer#submitOneStatement}.
 */
final class RunWrites {
  private static final String INSERT_CALL =
      "INSERT INTO calls ("
          + RowCodec.CALL_COLUMNS
          + ") SELECT ?, (SELECT "
          + "coalesce(max(seq), 0) + 1 FROM calls WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

  /** {@link #INSERT_CALL} if the lease ({@code run_id, lease_version, lease_owner}) is current. */
  private static final String INSERT_CALL_FENCED =
      INSERT_CALL + " FROM runs WHERE run_id = ? AND lease_version = ? " + "AND lease_owner = ?";

  private static final String INSERT_STEP =
      "INSERT INTO steps ("
          + RowCodec.STEP_COLUMNS
          + ") SELECT ?, (SELECT "
          + "coalesce(max(seq), 0) + 1 FROM steps WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM runs "
          + "WHERE run_id = ? AND lease_version = ? AND lease_owner = ?";
  private static final String INSERT_RUN =
      "INSERT INTO runs ("
          + RowCodec.RUN_COLUMNS
          + ", lease_owner, lease_version, lease_acquired_ms, lease_expires_ms) VALUES ("
          + "?, ".repeat(RowCodec.RUN_COLUMNS.split(",").length)
          + "?, ?, ?, ?)";

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

  /** Inserts {@code run} with lease 1 of this store's owner (recorded in the row only). */
  void create(RunRecord run) {
    insert(run, true, "cannot create the run");
  }

  /** Inserts the queued {@code run}, owned by no one (lease 0, so that its first claim is 1). */
  void enqueue(RunRecord run) {
    insert(run, false, "cannot enqueue the run");
  }

  private void insert(RunRecord run, boolean owned, String what) {
    Encoded input = rows.encode(run.input());
    Encoded output = rows.encode(run.output());
    String options = StoreValues.options(run);
    writer.submit(
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
          long now = config.clock().millis();
          PreparedStatement ps = tx.prepare(INSERT_RUN);
          int i = 1;
          ps.setString(i++, run.runId());
          ps.setInt(i++, Schema.RECORD_VERSION);
          ps.setString(i++, run.workflowId());
          ps.setString(i++, run.manifestHash());
          ps.setString(i++, run.engineVersion());
          i = input.bind(tx, ps, i, run.runId());
          ps.setString(i++, run.status().name());
          RowCodec.setNullable(ps, i++, run.reason() == null ? null : run.reason().name());
          RowCodec.setNullable(ps, i++, run.stepKey());
          RowCodec.setNullable(ps, i++, run.message());
          i = output.bind(tx, ps, i, run.runId());
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
          return null;
        });
  }

  void appendStep(SqliteRunLog l, StepRecord step, List<CallRecord> withStep) {
    Encoded output = rows.encode(step.output());
    List<EncodedCall> calls = new ArrayList<>(withStep.size());
    for (CallRecord c : withStep) calls.add(rows.encode(c));
    long started = Codec.nanos(step.startedAt());
    long duration = Codec.nanos(step.duration());
    String usage = Codec.usage(step.usage());
    String subject = SqliteStore.runSubject(l.runId) + ", step '" + step.stepKey() + "'";
    Writer.Op<Void> op =
        tx -> {
          // the fencing check is the INSERT's condition: no row unless this log's lease is current
          PreparedStatement ps = tx.prepare(INSERT_STEP);
          int i = 1;
          ps.setString(i++, l.runId);
          ps.setString(i++, l.runId);
          ps.setInt(i++, Schema.RECORD_VERSION);
          ps.setString(i++, step.stepKey());
          ps.setString(i++, step.nodeId());
          ps.setInt(i++, step.attempts());
          ps.setString(i++, step.status().name());
          i = output.bind(tx, ps, i, l.runId);
          RowCodec.setNullable(ps, i++, step.error());
          ps.setLong(i++, started);
          ps.setLong(i++, duration);
          ps.setString(i++, usage);
          leases.bind(ps, i, l);
          if (ps.executeUpdate() != 1) leases.lost(tx, l, subject + ": cannot append the step");
          for (EncodedCall c : calls) insertCall(tx, l.runId, c, null);
          return null;
        };
    if (calls.isEmpty() && output.inline())
      writer.submitOneStatement(subject, "cannot append the step", op);
    else writer.submit(subject, "cannot append the step", op);
  }

  void appendCall(SqliteRunLog l, CallRecord call) {
    EncodedCall c = rows.encode(call);
    String subject =
        SqliteStore.runSubject(l.runId) + ", step '" + call.stepKey() + "', call " + call.index();
    Writer.Op<Void> op =
        tx -> {
          if (!insertCall(tx, l.runId, c, l))
            leases.lost(tx, l, subject + ": cannot append the call");
          return null;
        };
    if (c.inline()) writer.submitOneStatement(subject, "cannot append the call", op);
    else writer.submit(subject, "cannot append the call", op);
  }

  /**
   * Inserts a call record; with {@code fence}, only if that log's lease is current.
   *
   * @return whether the row was inserted
   */
  private boolean insertCall(
      Writer.Tx tx, String runId, EncodedCall e, @Nullable SqliteRunLog fence) throws SQLException {
    CallRecord c = e.call();
    PreparedStatement ps = tx.prepare(fence == null ? INSERT_CALL : INSERT_CALL_FENCED);
    int i = 1;
    ps.setString(i++, runId);
    ps.setString(i++, runId);
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, c.stepKey());
    ps.setInt(i++, c.index());
    ps.setString(i++, c.kind().wireName());
    ps.setString(i++, c.name());
    ps.setString(i++, c.requestHash());
    i = e.request().bind(tx, ps, i, runId);
    i = e.response().bind(tx, ps, i, runId);
    ps.setString(i++, e.usage());
    ps.setLong(i++, e.started());
    ps.setLong(i++, e.duration());
    if (fence != null) leases.bind(ps, i, fence);
    return ps.executeUpdate() == 1;
  }

  void updateStatus(
      SqliteRunLog l,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    Encoded out = rows.encode(output);
    long now = Codec.nanos(config.clock().instant());
    String subject = SqliteStore.runSubject(l.runId);
    Writer.Op<Void> op =
        tx -> {
          PreparedStatement ps =
              tx.prepare(
                  "UPDATE runs SET status = ?, reason = ?, step_key = ?, message = ?, output = ?, "
                      + "output_artifact = ?, updated_at_ns = ? WHERE run_id = ? AND lease_version = ? AND lease_owner = ?");
          ps.setString(1, status.name());
          RowCodec.setNullable(ps, 2, reason == null ? null : reason.name());
          RowCodec.setNullable(ps, 3, stepKey);
          RowCodec.setNullable(ps, 4, message);
          out.bind(tx, ps, 5, l.runId);
          ps.setLong(7, now);
          leases.bind(ps, 8, l);
          if (ps.executeUpdate() != 1)
            leases.lost(tx, l, subject + ": cannot record status " + status);
          return null;
        };
    if (out.inline()) writer.submitOneStatement(subject, "cannot record status " + status, op);
    else writer.submit(subject, "cannot record status " + status, op);
  }
}
