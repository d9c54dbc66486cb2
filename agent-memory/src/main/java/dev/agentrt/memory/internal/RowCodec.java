package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
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
 * RunSummary}, {@link StepRecord} and {@link CallRecord}: the columns, the JSON values (inline or
 * as a content-addressed artifact) and the checks that a row read back is one this version wrote.
 */
final class RowCodec {
  static final String RUN_COLUMNS =
      "run_id, record_version, workflow_id, manifest_hash, engine_version, "
          + "input, input_artifact, status, reason, step_key, message, output, output_artifact, created_at_ns, "
          + "updated_at_ns, options, priority, parent_run_id, forked_from_step";

  /** The columns of {@link RunSummary}: none of the values, whatever their size. */
  static final String SUMMARY_COLUMNS =
      "run_id, record_version, workflow_id, status, reason, step_key, "
          + "created_at_ns, updated_at_ns, parent_run_id, forked_from_step";

  static final String STEP_COLUMNS =
      "run_id, seq, record_version, step_key, node_id, attempts, status, "
          + "output, output_artifact, error, started_at_ns, duration_ns, usage";
  static final String CALL_COLUMNS =
      "run_id, seq, record_version, step_key, idx, kind, name, request_hash, "
          + "request, request_artifact, response, response_artifact, usage, started_at_ns, duration_ns";

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
   * A JSON value encoded before the write: inline {@code text}, or an artifact ({@code bytes} with
   * their hash).
   */
  record Encoded(
      @Nullable String text, byte @Nullable [] bytes, @Nullable String sha256, long createdAtNs) {
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
          tx.prepare("INSERT OR IGNORE INTO run_artifacts (run_id, sha256) VALUES (?, ?)");
      ra.setString(1, runId);
      ra.setString(2, sha256);
      ra.executeUpdate();
      ps.setNull(i, Types.VARCHAR);
      ps.setString(i + 1, sha256);
      return i + 2;
    }
  }

  /** A call record with its values encoded before the write. */
  record EncodedCall(
      CallRecord call,
      Encoded request,
      Encoded response,
      String usage,
      long started,
      long duration) {

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
        Codec.usage(c.usage()),
        Codec.nanos(c.startedAt()),
        Codec.nanos(c.duration()));
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
    return new RunRecord(
        runId,
        required(w, "workflowId", r.getString(3)),
        required(w, "manifestHash", r.getString(4)),
        required(w, "engineVersion", r.getString(5)),
        json(c, w, "input", r.getString(6), r.getString(7)),
        Codec.enumValue(path, w, "status", RunStatus.class, r.getString(8)),
        r.getString(9) == null
            ? null
            : Codec.enumValue(path, w, "reason", FailureReason.class, r.getString(9)),
        r.getString(10),
        r.getString(11),
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
        Codec.enumValue(path, w, "status", RunStatus.class, r.getString(4)),
        r.getString(5) == null
            ? null
            : Codec.enumValue(path, w, "reason", FailureReason.class, r.getString(5)),
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
    return new StepRecord(
        runId,
        key,
        required(w, "nodeId", r.getString(5)),
        r.getInt(6),
        Codec.enumValue(path, w, "status", StepStatus.class, r.getString(7)),
        json(c, w, "output", r.getString(8), r.getString(9)),
        r.getString(10),
        Codec.instant(r.getLong(11)),
        Duration.ofNanos(r.getLong(12)),
        Codec.usage(path, w, r.getString(13)));
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
        Codec.usage(path, w, r.getString(13)),
        Codec.instant(r.getLong(14)),
        Duration.ofNanos(r.getLong(15)));
  }

  private void checkVersion(Codec.Where w, int version) {
    if (version != Schema.RECORD_VERSION) {
      throw Codec.corrupt(
          path,
          w,
          "record_version",
          "unknown record version "
              + version
              + " (this agentrt reads "
              + "version "
              + Schema.RECORD_VERSION
              + "; a newer agentrt wrote it)");
    }
  }

  /** The kind persisted as its wire name; a kind this version does not know fails closed. */
  private CallKind kind(Codec.Where w, @Nullable String value) {
    try {
      return CallKind.fromWireName(required(w, "kind", value));
    } catch (IllegalArgumentException e) {
      throw Codec.corrupt(
          path, w, "kind", e.getMessage() + "; a newer agentrt may have written it");
    }
  }

  private String required(Codec.Where w, String field, @Nullable String value) {
    if (value == null) throw Codec.corrupt(path, w, field, "missing (NULL)");
    return value;
  }

  private JsonNode json(
      Connection c, Codec.Where w, String field, @Nullable String inline, @Nullable String artifact)
      throws SQLException {
    if (artifact == null) {
      if ("null".equals(inline)) return NullNode.getInstance();
      return Codec.parse(
          path, w, field, inline == null ? null : inline.getBytes(StandardCharsets.UTF_8));
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
