package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.spi.StoreValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Rows of {@code runs}, {@code steps} and {@code calls} to and from {@link RunRecord}, {@link
 * RunSummary}, {@link StepRecord} and {@link CallRecord} in the compact layout of schema 4 ({@link
 * Schema}): the columns, the codes, the JSON values (inline or as a content-addressed artifact) and
 * the checks that a row read back is one this version wrote.
 */
final class RowCodec {
  /** The tables a run row is read from: {@code runs r} with its manifest {@code m}. */
  static final String RUN_FROM = " FROM runs r JOIN manifests m ON m.manifest_key = r.manifest_key";

  /** The columns of {@link RunRecord} (from {@link #RUN_FROM}), then {@code run_key}. */
  static final String RUN_COLUMNS =
      "r.run_id, r.record_version, m.workflow_id, m.manifest_hash, m.engine_version, r.input, "
          + "r.input_artifact, r.status, r.reason, r.step_key, r.message, r.output, "
          + "r.output_artifact, r.created_at_ns, r.updated_at_ns, r.options, r.priority, "
          + "r.parent_run_id, r.forked_from_step, r.run_key";

  /** The columns of {@link RunSummary} (from {@link #RUN_FROM}): none of the values. */
  static final String SUMMARY_COLUMNS =
      "r.run_id, r.record_version, m.workflow_id, r.status, r.reason, r.step_key, "
          + "r.created_at_ns, r.updated_at_ns, r.parent_run_id, r.forked_from_step";

  /** The columns a run row is inserted with. */
  static final String RUN_INSERT_COLUMNS =
      "run_key, run_id, record_version, manifest_key, input, input_artifact, status, reason, step_key, "
          + "message, output, output_artifact, created_at_ns, updated_at_ns, options, priority, "
          + "parent_run_id, forked_from_step, lease_owner, lease_version, lease_acquired_ms, "
          + "lease_expires_ms";

  /** The columns a step row is inserted with. */
  static final String STEP_INSERT_COLUMNS =
      "run_key, seq, record_version, step_key, node_id, attempts, status, output, "
          + "output_artifact, error, started_ns, duration_ns, usage";

  /** The columns of {@link StepRecord}, from {@code steps s JOIN runs r}. */
  static final String STEP_COLUMNS =
      "r.run_id, s.seq, s.record_version, s.step_key, s.node_id, s.attempts, s.status, s.output, "
          + "s.output_artifact, s.error, s.started_ns + r.created_at_ns, s.duration_ns, s.usage";

  /** The columns a call row is inserted with. */
  static final String CALL_INSERT_COLUMNS =
      "run_key, seq, record_version, step_key, idx, kind, name, request_hash, request, "
          + "request_artifact, response, response_artifact, started_at_ns, duration_ns, usage";

  /** The columns of {@link CallRecord}, from {@code calls c JOIN runs r}. */
  static final String CALL_COLUMNS =
      "r.run_id, c.seq, c.record_version, c.step_key, c.idx, c.kind, c.name, c.request_hash, "
          + "c.request, c.request_artifact, c.response, c.response_artifact, c.started_at_ns, "
          + "c.duration_ns, c.usage";

  /** {@code runs.message} of the engine's standard message of a run waiting before its step. */
  static final int WAITS_BEFORE = 1;

  /** {@code runs.message} of the engine's standard message of a run waiting after its step. */
  static final int WAITS_AFTER = 2;

  private final Path path;
  private final int artifactThreshold;
  private final Clock clock;

  RowCodec(Path path, int artifactThreshold, Clock clock) {
    this.path = path;
    this.artifactThreshold = artifactThreshold;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ write side

  /**
   * A JSON value encoded before the write: inline {@code text} ({@code null} for JSON null), or an
   * artifact ({@code bytes} with their hash).
   */
  record Encoded(
      @Nullable String text, byte @Nullable [] bytes, @Nullable String sha256, long createdAtNs) {
    static final Encoded NULL = new Encoded(null, null, null, 0);

    /** Whether the value is stored in its column (binding it executes no statement). */
    boolean inline() {
      return sha256 == null;
    }

    /** Binds the value's two columns (inline, artifact) and returns the next parameter index. */
    int bind(Writer.Tx tx, PreparedStatement ps, int i, long runKey) throws SQLException {
      if (sha256 == null || bytes == null) {
        setNullable(ps, i, text);
        ps.setNull(i + 1, Types.VARCHAR);
        return i + 2;
      }
      PreparedStatement a =
          tx.prepare(
              "INSERT OR IGNORE INTO artifacts (sha256, size, content, created_at_ns) "
                  + "VALUES (?, ?, ?, ?)");
      a.setString(1, sha256);
      a.setLong(2, bytes.length);
      a.setBytes(3, bytes);
      a.setLong(4, createdAtNs);
      a.executeUpdate();
      PreparedStatement ra =
          tx.prepare("INSERT OR IGNORE INTO run_artifacts (run_key, sha256) VALUES (?, ?)");
      ra.setLong(1, runKey);
      ra.setString(2, sha256);
      ra.executeUpdate();
      ps.setNull(i, Types.VARCHAR);
      ps.setString(i + 1, sha256);
      return i + 2;
    }
  }

  /** A call record with its values encoded before the write. */
  record EncodedCall(
      CallRecord call, Encoded request, Encoded response, long started, long duration) {

    /** Whether both values are stored in their columns. */
    boolean inline() {
      return request.inline() && response.inline();
    }
  }

  Encoded encode(JsonNode value) {
    if (value.isNull()) return Encoded.NULL;
    String text = Codec.jsonText(value);
    // a UTF-8 encoding has at most 3 bytes per char: only long text needs counting
    if ((long) text.length() * 3 <= artifactThreshold) return new Encoded(text, null, null, 0);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= artifactThreshold) return new Encoded(text, null, null, 0);
    return new Encoded(null, bytes, Codec.sha256(bytes), Codec.nanos(clock.instant()));
  }

  EncodedCall encode(CallRecord c) {
    return new EncodedCall(
        c,
        encode(c.request()),
        encode(c.response()),
        Codec.nanos(c.startedAt()),
        Codec.nanos(c.duration()));
  }

  /** Binds the {@code usage} column ({@link UsageBytes}; NULL if all zero). */
  static void bindUsage(PreparedStatement ps, int i, BudgetUsage u) throws SQLException {
    byte[] bytes = UsageBytes.encode(u);
    if (bytes == null) ps.setNull(i, Types.BLOB);
    else ps.setBytes(i, bytes);
  }

  /**
   * {@code node_id} as stored: NULL when it is the node {@code stepKey} names (the usual case), so
   * that the common step costs no copy of its node's id.
   */
  static @Nullable String storedNodeId(String stepKey, String nodeId) {
    // nodeOf without its substring: this runs for every step
    int from = stepKey.lastIndexOf('/') + 1;
    int to = stepKey.lastIndexOf('#');
    if (to <= from) to = stepKey.length();
    boolean named = to - from == nodeId.length() && stepKey.startsWith(nodeId, from);
    return named ? null : nodeId;
  }

  /**
   * {@code runs.message} as stored: {@link #WAITS_BEFORE} or {@link #WAITS_AFTER} for the engine's
   * standard message of a run waiting at {@code stepKey}, else the text.
   */
  static @Nullable Object storedMessage(@Nullable String stepKey, @Nullable String message) {
    if (message == null || stepKey == null || !message.startsWith("run waits ")) return message;
    String node = nodeOf(stepKey);
    if (message.equals(StoreValues.waitMessage(node, stepKey, true))) return WAITS_BEFORE;
    if (message.equals(StoreValues.waitMessage(node, stepKey, false))) return WAITS_AFTER;
    return message;
  }

  /**
   * The node a step key names: {@code n} of {@code [prefix/]n#visit}. Only compared with the real
   * node id, so a key of another shape costs its node id in the row, nothing else.
   */
  static String nodeOf(String stepKey) {
    int from = stepKey.lastIndexOf('/') + 1;
    int to = stepKey.lastIndexOf('#');
    return to > from ? stepKey.substring(from, to) : stepKey.substring(from);
  }

  static void setNullable(PreparedStatement ps, int i, @Nullable String value) throws SQLException {
    if (value == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, value);
  }

  // ------------------------------------------------------------------ read side

  /** A row of {@link #RUN_COLUMNS}. */
  RunRecord runFrom(Connection c, ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    StoreValues.RunOptionsColumn options = StoreValues.options(path.toString(), w, r.getString(16));
    String stepKey = r.getString(10);
    return new RunRecord(
        runId,
        required(w, "workflowId", r.getString(3)),
        required(w, "manifestHash", r.getString(4)),
        required(w, "engineVersion", r.getString(5)),
        json(c, w, "input", r.getString(6), r.getString(7)),
        code(w, "status", Codes.RUN_STATUS, r.getInt(8)),
        reason(w, r, 9),
        stepKey,
        message(w, stepKey, r.getObject(11)),
        json(c, w, "output", r.getString(12), r.getString(13)),
        Codec.instant(r.getLong(14)),
        Codec.instant(r.getLong(15)),
        options.labels(),
        options.budget(),
        options.deadline(),
        r.getInt(17),
        r.getString(18),
        r.getString(19));
  }

  /** A row of {@link #SUMMARY_COLUMNS}. */
  RunSummary summaryFrom(ResultSet r) throws SQLException {
    String runId = r.getString(1);
    Codec.Where w = () -> "run '" + runId + "'";
    checkVersion(w, r.getInt(2));
    return new RunSummary(
        runId,
        required(w, "workflowId", r.getString(3)),
        code(w, "status", Codes.RUN_STATUS, r.getInt(4)),
        reason(w, r, 5),
        r.getString(6),
        Codec.instant(r.getLong(7)),
        Codec.instant(r.getLong(8)),
        r.getString(9),
        r.getString(10));
  }

  /** A row of {@link #STEP_COLUMNS}. */
  StepRecord stepFrom(Connection c, ResultSet r) throws SQLException {
    String runId = r.getString(1);
    long seq = r.getLong(2);
    String key = r.getString(4);
    Codec.Where w = () -> "run '" + runId + "', step '" + key + "' (seq " + seq + ")";
    checkVersion(w, r.getInt(3));
    String nodeId = r.getString(5);
    return new StepRecord(
        runId,
        required(w, "stepKey", key),
        nodeId == null ? nodeOf(key) : nodeId,
        r.getInt(6),
        code(w, "status", Codes.STEP_STATUS, r.getInt(7)),
        json(c, w, "output", r.getString(8), r.getString(9)),
        r.getString(10),
        Codec.instant(r.getLong(11)),
        Duration.ofNanos(r.getLong(12)),
        usageFrom(w, r.getObject(13)));
  }

  /** A row of {@link #CALL_COLUMNS}. */
  CallRecord callFrom(Connection c, ResultSet r) throws SQLException {
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
        json(c, w, "request", r.getString(9), r.getString(10)),
        json(c, w, "response", r.getString(11), r.getString(12)),
        usageFrom(w, r.getObject(15)),
        Codec.instant(r.getLong(13)),
        Duration.ofNanos(r.getLong(14)));
  }

  /**
   * The {@code usage} column: its bytes ({@link UsageBytes}), or the JSON text of a row migrated
   * from schema 3.
   */
  private BudgetUsage usageFrom(Codec.Where w, @Nullable Object value) {
    if (value instanceof String json) return StoreValues.usage(path.toString(), w, json);
    if (value != null && !(value instanceof byte[]))
      throw Codec.corrupt(path, w, "usage", "not bytes but " + value.getClass().getSimpleName());
    try {
      return UsageBytes.decode((byte[]) value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw Codec.corrupt(path, w, "usage", "not a usage encoding: " + e.getMessage());
    }
  }

  private @Nullable FailureReason reason(Codec.Where w, ResultSet r, int i) throws SQLException {
    int code = r.getInt(i);
    return r.wasNull() ? null : code(w, "reason", Codes.REASON, code);
  }

  private <E extends Enum<E>> E code(Codec.Where w, String field, Codes.Code<E> codes, int code) {
    E value = codes.value(code);
    if (value == null) {
      throw Codec.corrupt(
          path, w, field, "unknown code " + code + " (a newer agentrt may have written it)");
    }
    return value;
  }

  private @Nullable String message(Codec.Where w, @Nullable String stepKey, @Nullable Object v) {
    if (v == null || v instanceof String) return (String) v;
    if (v instanceof Number n && stepKey != null) {
      if (n.longValue() == WAITS_BEFORE)
        return StoreValues.waitMessage(nodeOf(stepKey), stepKey, true);
      if (n.longValue() == WAITS_AFTER)
        return StoreValues.waitMessage(nodeOf(stepKey), stepKey, false);
    }
    throw Codec.corrupt(
        path,
        w,
        "message",
        "unknown message code " + v + (stepKey == null ? " (and no step key)" : ""));
  }

  private void checkVersion(Codec.Where w, int version) {
    StoreValues.checkVersion(path.toString(), w, version, Schema.RECORD_VERSION);
  }

  private CallKind kind(Codec.Where w, @Nullable String value) {
    return StoreValues.callKind(path.toString(), w, value);
  }

  private String required(Codec.Where w, String field, @Nullable String value) {
    return StoreValues.required(path.toString(), w, field, value);
  }

  /** A JSON value from its two columns: both NULL is JSON null. */
  private JsonNode json(
      Connection c, Codec.Where w, String field, @Nullable String inline, @Nullable String artifact)
      throws SQLException {
    if (artifact == null) {
      if (inline == null || "null".equals(inline)) return NullNode.getInstance();
      return Codec.parse(path, w, field, inline.getBytes(StandardCharsets.UTF_8));
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT content FROM artifacts WHERE sha256 = ?")) {
      ps.setString(1, artifact);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) throw Codec.corrupt(path, w, field, "artifact " + artifact + " is missing");
        byte[] bytes = r.getBytes(1);
        if (bytes == null || !Codec.sha256(bytes).equals(artifact)) {
          throw Codec.corrupt(
              path, w, field, "artifact " + artifact + " does not match its SHA-256");
        }
        return Codec.parse(path, w, field, bytes);
      }
    }
  }
}
