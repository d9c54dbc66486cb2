package dev.agentrt.store.postgres.internal;

import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.spi.StoreValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Rows of {@code agentrt_runs}, {@code agentrt_steps} and {@code agentrt_calls} to and from {@link
 * RunRecord}, {@link RunSummary}, {@link StepRecord} and {@link CallRecord}: the columns, and the
 * checks that a row read back is one this version wrote.
 */
final class Rows {
  static final String RUN_COLUMNS =
      "run_id, record_version, workflow_id, manifest_hash, engine_version, input, status, reason,"
          + " step_key, message, output, created_at_ns, updated_at_ns, options, priority,"
          + " parent_run_id, forked_from_step";

  /** The parameters of {@link #RUN_COLUMNS} in an INSERT, {@code options} cast to jsonb. */
  static final String RUN_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?";

  /** The columns of {@link RunSummary}: none of the values, whatever their size. */
  static final String SUMMARY_COLUMNS =
      "run_id, record_version, workflow_id, status, reason, step_key, created_at_ns, updated_at_ns,"
          + " parent_run_id, forked_from_step";

  static final String STEP_COLUMNS =
      "run_id, seq, record_version, step_key, node_id, attempts, status, output, error,"
          + " started_at_ns, duration_ns, usage";

  static final String CALL_COLUMNS =
      "run_id, seq, record_version, step_key, idx, kind, name, request_hash, request, response,"
          + " usage, started_at_ns, duration_ns";

  private final String store;

  Rows(String store) {
    this.store = store;
  }

  // ------------------------------------------------------------------ write side

  /** A step with its values encoded before the write, off any connection. */
  record EncodedStep(StepRecord step, String output, String usage, long started, long duration) {}

  /** A call with its values encoded before the write, off any connection. */
  record EncodedCall(
      CallRecord call,
      String request,
      String response,
      String usage,
      long started,
      long duration) {}

  static EncodedStep encode(StepRecord s) {
    return new EncodedStep(
        s,
        Codec.jsonText(s.output()),
        Codec.usage(s.usage()),
        Codec.nanos(s.startedAt()),
        Codec.nanos(s.duration()));
  }

  static EncodedCall encode(CallRecord c) {
    return new EncodedCall(
        c,
        Codec.jsonText(c.request()),
        Codec.jsonText(c.response()),
        Codec.usage(c.usage()),
        Codec.nanos(c.startedAt()),
        Codec.nanos(c.duration()));
  }

  /**
   * Binds {@link #RUN_VALUES} of {@code run} from parameter {@code i}; returns the next index. The
   * values are encoded first, so that a value the store cannot hold fails before any write.
   */
  static int bindRun(PreparedStatement ps, int i, RunRecord run, String input, String output)
      throws SQLException {
    ps.setString(i++, run.runId());
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, run.workflowId());
    ps.setString(i++, run.manifestHash());
    ps.setString(i++, run.engineVersion());
    ps.setString(i++, input);
    ps.setString(i++, run.status().name());
    setNullable(ps, i++, run.reason() == null ? null : run.reason().name());
    setNullable(ps, i++, run.stepKey());
    setNullable(ps, i++, run.message());
    ps.setString(i++, output);
    ps.setLong(i++, Codec.nanos(run.createdAt()));
    ps.setLong(i++, Codec.nanos(run.updatedAt()));
    setNullable(ps, i++, StoreValues.options(run));
    ps.setInt(i++, run.priority());
    setNullable(ps, i++, run.parentRunId());
    setNullable(ps, i++, run.forkedFromStep());
    return i;
  }

  /** Binds the step columns after {@code run_id} (the INSERT's order); returns the next index. */
  static int bindStep(PreparedStatement ps, int i, EncodedStep e) throws SQLException {
    StepRecord s = e.step();
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, s.stepKey());
    ps.setString(i++, s.nodeId());
    ps.setInt(i++, s.attempts());
    ps.setString(i++, s.status().name());
    ps.setString(i++, e.output());
    setNullable(ps, i++, s.error());
    ps.setLong(i++, e.started());
    ps.setLong(i++, e.duration());
    ps.setString(i++, e.usage());
    return i;
  }

  /** Binds the call columns after {@code run_id} (the INSERT's order); returns the next index. */
  static int bindCall(PreparedStatement ps, int i, EncodedCall e) throws SQLException {
    CallRecord c = e.call();
    ps.setInt(i++, Schema.RECORD_VERSION);
    ps.setString(i++, c.stepKey());
    ps.setInt(i++, c.index());
    ps.setString(i++, c.kind().wireName());
    ps.setString(i++, c.name());
    ps.setString(i++, c.requestHash());
    ps.setString(i++, e.request());
    ps.setString(i++, e.response());
    ps.setString(i++, e.usage());
    ps.setLong(i++, e.started());
    ps.setLong(i++, e.duration());
    return i;
  }

  static void setNullable(PreparedStatement ps, int i, @Nullable String value) throws SQLException {
    if (value == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, value);
  }

  // ------------------------------------------------------------------ read side

  /** A row of {@link #RUN_COLUMNS}. */
  RunRecord runFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    StoreValues.RunOptionsColumn options = StoreValues.options(store, w, r.getString(14));
    return new RunRecord(
        runId,
        required(w, "workflowId", r.getString(3)),
        required(w, "manifestHash", r.getString(4)),
        required(w, "engineVersion", r.getString(5)),
        Codec.parse(store, w, "input", r.getString(6)),
        Codec.enumValue(store, w, "status", RunStatus.class, r.getString(7)),
        r.getString(8) == null
            ? null
            : Codec.enumValue(store, w, "reason", FailureReason.class, r.getString(8)),
        r.getString(9),
        r.getString(10),
        Codec.parse(store, w, "output", r.getString(11)),
        Codec.instant(r.getLong(12)),
        Codec.instant(r.getLong(13)),
        options.labels(),
        options.budget(),
        options.deadline(),
        r.getInt(15),
        r.getString(16),
        r.getString(17));
  }

  /** A row of {@link #SUMMARY_COLUMNS}. */
  RunSummary summaryFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    return new RunSummary(
        runId,
        required(w, "workflowId", r.getString(3)),
        Codec.enumValue(store, w, "status", RunStatus.class, r.getString(4)),
        r.getString(5) == null
            ? null
            : Codec.enumValue(store, w, "reason", FailureReason.class, r.getString(5)),
        r.getString(6),
        Codec.instant(r.getLong(7)),
        Codec.instant(r.getLong(8)),
        r.getString(9),
        r.getString(10));
  }

  /** A row of {@link #STEP_COLUMNS}. */
  StepRecord stepFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    long seq = r.getLong(2);
    String key = r.getString(4);
    Codec.Where w = () -> "run '" + runId + "', step '" + key + "' (seq " + seq + ")";
    checkVersion(w, r.getInt(3));
    return new StepRecord(
        runId,
        key,
        required(w, "nodeId", r.getString(5)),
        r.getInt(6),
        Codec.enumValue(store, w, "status", StepStatus.class, r.getString(7)),
        Codec.parse(store, w, "output", r.getString(8)),
        r.getString(9),
        Codec.instant(r.getLong(10)),
        Duration.ofNanos(r.getLong(11)),
        Codec.usage(store, w, r.getString(12)));
  }

  /** A row of {@link #CALL_COLUMNS}. */
  CallRecord callFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    long seq = r.getLong(2);
    String key = r.getString(4);
    int index = r.getInt(5);
    Codec.Where w =
        () -> "run '" + runId + "', step '" + key + "', call " + index + " (seq " + seq + ")";
    checkVersion(w, r.getInt(3));
    return new CallRecord(
        runId,
        key,
        index,
        kind(w, r.getString(6)),
        required(w, "name", r.getString(7)),
        required(w, "requestHash", r.getString(8)),
        Codec.parse(store, w, "request", r.getString(9)),
        Codec.parse(store, w, "response", r.getString(10)),
        Codec.usage(store, w, r.getString(11)),
        Codec.instant(r.getLong(12)),
        Duration.ofNanos(r.getLong(13)));
  }

  private void checkVersion(Codec.Where w, int version) {
    StoreValues.checkVersion(store, w, version, Schema.RECORD_VERSION);
  }

  private CallKind kind(Codec.Where w, @Nullable String value) {
    return StoreValues.callKind(store, w, value);
  }

  private String required(Codec.Where w, String field, @Nullable String value) {
    return StoreValues.required(store, w, field, value);
  }
}
