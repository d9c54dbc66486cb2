package dev.agentrt.memory.internal;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.ArtifactInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the store: a pool of reader connections, each read in its own transaction, and
 * the queries (runs, summaries, steps, calls, artifacts).
 */
final class StoreReaders {
  private static final int MAX_IDLE_READERS = 8;

  private final Path path;
  private final Database db;
  private final RowCodec rows;
  private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  StoreReaders(Path path, Database db, RowCodec rows) {
    this.path = path;
    this.db = db;
    this.rows = rows;
  }

  /** A read on one connection, in a transaction. */
  interface ReadOp<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code op} in a read transaction on a pooled reader connection. */
  <T> T read(@Nullable String subject, String what, ReadOp<T> op) {
    if (closed) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + path
              + ": "
              + (subject == null ? "" : subject + ": ")
              + what
              + ": the store is closed");
    }
    Connection c = idle.poll();
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
      throw Database.failure(path, subject, what, e);
    } finally {
      if (reusable && !closed && idle.size() < MAX_IDLE_READERS) idle.offer(c);
      else Database.closeQuietly(List.of(c));
    }
  }

  Optional<RunRecord> find(String runId) {
    return read(SqliteStore.runSubject(runId), "cannot read the run", c -> findIn(c, runId));
  }

  List<RunRecord> list(RunQuery query) {
    return read(
        null,
        "cannot list runs",
        c -> {
          List<Object> args = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + RowCodec.RUN_COLUMNS + RowCodec.RUN_FROM + where(query, args))) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) out.add(rows.runFrom(c, r));
            }
            return out;
          }
        });
  }

  /** See {@link SqliteStore#summaries}. */
  RunListing summaries(RunQuery query) {
    return read(
        null,
        "cannot list runs",
        c -> {
          List<Object> args = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + RowCodec.SUMMARY_COLUMNS + RowCodec.RUN_FROM + where(query, args))) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<RunSummary> runs = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) {
                try {
                  runs.add(rows.summaryFrom(r));
                } catch (CheckpointStoreException e) {
                  unreadable.add(e.getMessage());
                }
              }
            }
            return new RunListing(runs, unreadable);
          }
        });
  }

  /**
   * {@code WHERE ... ORDER BY ... LIMIT ?} of {@code query}, its arguments added to {@code args}.
   */
  private static String where(RunQuery query, List<Object> args) {
    StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
    query
        .workflowId()
        .ifPresent(
            w -> {
              sql.append(" AND m.workflow_id = ?");
              args.add(w);
            });
    query
        .status()
        .ifPresent(
            s -> {
              sql.append(" AND r.status = ?");
              args.add(Codes.RUN_STATUS.of(s));
            });
    query
        .since()
        .ifPresent(
            t -> {
              sql.append(" AND r.created_at_ns >= ?");
              args.add(Codec.nanos(t));
            });
    query
        .labels()
        .forEach(
            (key, value) -> {
              sql.append(" AND json_extract(r.options, '$.labels.' || json_quote(?)) = ?");
              args.add(key);
              args.add(value);
            });
    sql.append(" ORDER BY r.created_at_ns DESC, r.run_id DESC LIMIT ?");
    args.add(query.limit());
    return sql.toString();
  }

  List<StepRecord> steps(String runId) {
    return read(SqliteStore.runSubject(runId), "cannot read the step log", c -> stepsIn(c, runId));
  }

  /** Every call of the run, in append order (by sequence); empty for an unknown run. */
  List<CallRecord> calls(String runId) {
    return read(
        SqliteStore.runSubject(runId),
        "cannot read the calls",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + RowCodec.CALL_COLUMNS
                      + " FROM runs r JOIN calls c ON c.run_key = r.run_key "
                      + "WHERE r.run_id = ? ORDER BY c.seq")) {
            ps.setString(1, runId);
            return callsOf(c, ps);
          }
        });
  }

  /** The calls of {@code stepKey} recorded up to {@code maxSeq} ({@code -1}: none), by sequence. */
  List<CallRecord> calls(SqliteRunLog l, String stepKey, long maxSeq) {
    if (maxSeq < 1) return List.of();
    return read(
        SqliteStore.runSubject(l.runId()) + ", step '" + stepKey + "'",
        "cannot read the calls",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + RowCodec.CALL_COLUMNS
                      + " FROM calls c JOIN runs r ON r.run_key = c.run_key "
                      + "WHERE c.run_key = ? AND c.step_key = ? AND c.seq <= ? ORDER BY c.seq")) {
            ps.setLong(1, l.runKey);
            ps.setString(2, stepKey);
            ps.setLong(3, maxSeq);
            return callsOf(c, ps);
          }
        });
  }

  private List<CallRecord> callsOf(Connection c, PreparedStatement ps) throws SQLException {
    List<CallRecord> out = new ArrayList<>();
    try (ResultSet r = ps.executeQuery()) {
      while (r.next()) out.add(rows.callFrom(c, r));
    }
    return out;
  }

  List<ArtifactInfo> artifacts(String runId) {
    return read(
        SqliteStore.runSubject(runId),
        "cannot list the artifacts",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT a.sha256, a.size, a.created_at_ns FROM run_artifacts ra "
                      + "JOIN runs r ON r.run_key = ra.run_key "
                      + "JOIN artifacts a ON a.sha256 = ra.sha256 WHERE r.run_id = ? "
                      + "ORDER BY a.created_at_ns, a.sha256")) {
            ps.setString(1, runId);
            List<ArtifactInfo> out = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
              while (r.next())
                out.add(
                    new ArtifactInfo(r.getString(1), r.getLong(2), Codec.instant(r.getLong(3))));
            }
            return out;
          }
        });
  }

  Optional<RunRecord> findIn(Connection c, String runId) throws SQLException {
    return findKeyedIn(c, runId).map(Keyed::run);
  }

  /** A run with its {@code run_key}. */
  record Keyed(RunRecord run, long runKey) {}

  Optional<Keyed> findKeyedIn(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + RowCodec.RUN_COLUMNS + RowCodec.RUN_FROM + " WHERE r.run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) return Optional.empty();
        return Optional.of(new Keyed(rows.runFrom(c, r), r.getLong(20)));
      }
    }
  }

  List<StepRecord> stepsIn(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + RowCodec.STEP_COLUMNS
                + " FROM runs r JOIN steps s ON s.run_key = r.run_key WHERE r.run_id = ? "
                + "ORDER BY s.seq")) {
      ps.setString(1, runId);
      List<StepRecord> out = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) out.add(rows.stepFrom(c, r));
      }
      return out;
    }
  }

  /** Refuses further reads and closes the idle connections (a read in flight closes its own). */
  void close() {
    closed = true;
    List<Connection> drained = new ArrayList<>();
    idle.drainTo(drained);
    Database.closeQuietly(drained);
  }
}
