package dev.agentrt.memory.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pruning: deletes finished runs that no engine owns, with their steps, calls, lease history and
 * the artifacts no remaining run refers to.
 */
final class Retention {
  private static final String TERMINAL = Codes.TERMINAL;

  private final Writer writer;
  private final Clock clock;

  Retention(Writer writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  private static final String BEYOND =
      "run_key NOT IN (SELECT run_key FROM runs ORDER BY created_at_ns DESC, run_id DESC LIMIT ?)";
  private static final String OLDER = "updated_at_ns < ?";

  /** Deletes finished runs beyond the newest {@code keepLast} runs; returns how many. */
  int keepLast(int keepLast) {
    return deleteWhere(BEYOND, List.of((long) keepLast));
  }

  /**
   * Deletes finished runs whose status last changed more than {@code age} ago; returns how many.
   */
  int olderThan(Duration age) {
    return deleteWhere(OLDER, List.of(Codec.nanos(clock.instant().minus(age))));
  }

  /**
   * Both rules at once, in one transaction: deletes the finished runs either rule selects (a null
   * rule selects none); returns how many.
   */
  int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    if (keepLast == null && maxAge == null) return 0;
    if (maxAge == null) return keepLast(keepLast);
    if (keepLast == null) return olderThan(maxAge);
    return deleteWhere(
        "(" + BEYOND + " OR " + OLDER + ")",
        List.of((long) keepLast, Codec.nanos(clock.instant().minus(maxAge))));
  }

  /**
   * Deletes one run whatever its status unless a live lease holds it; false if there is none.
   *
   * @throws dev.agentrt.core.CheckpointStoreException naming the owner, if a live lease holds it
   */
  boolean delete(String runId, String subject) {
    return writer.submit(
        subject,
        "cannot delete the run",
        tx -> {
          PreparedStatement q =
              tx.prepare(
                  "SELECT lease_owner, lease_expires_ms, run_key FROM runs WHERE run_id = ?");
          q.setString(1, runId);
          long runKey;
          try (ResultSet r = q.executeQuery()) {
            if (!r.next()) return false;
            String owner = r.getString(1);
            if (owner != null && r.getLong(2) > clock.millis()) {
              throw new dev.agentrt.core.CheckpointStoreException(
                  subject + ": cannot be deleted: it is executing (owner " + owner + ")");
            }
            runKey = r.getLong(3);
          }
          deleteRun(tx, runKey);
          tx.exec(ORPHANS);
          return true;
        });
  }

  private static final String ORPHANS =
      "DELETE FROM artifacts WHERE NOT EXISTS (SELECT 1 FROM run_artifacts ra WHERE ra.sha256 ="
          + " artifacts.sha256)";

  private static void deleteRun(Writer.Tx tx, long runKey) throws java.sql.SQLException {
    for (String table : List.of("calls", "steps", "run_events", "run_artifacts", "runs")) {
      PreparedStatement d = tx.prepare("DELETE FROM " + table + " WHERE run_key = ?");
      d.setLong(1, runKey);
      d.executeUpdate();
    }
  }

  private int deleteWhere(String condition, List<Long> args) {
    return writer.submit(
        null,
        "cannot delete runs",
        tx -> {
          PreparedStatement q =
              tx.prepare(
                  "SELECT run_key FROM runs WHERE "
                      + condition
                      + " AND status IN "
                      + TERMINAL
                      + " AND (lease_owner IS NULL OR lease_expires_ms <= ?)");
          int i = 1;
          for (long arg : args) q.setLong(i++, arg);
          q.setLong(i, clock.millis());
          List<Long> keys = new ArrayList<>();
          try (ResultSet r = q.executeQuery()) {
            while (r.next()) keys.add(r.getLong(1));
          }
          for (long key : keys) deleteRun(tx, key);
          if (!keys.isEmpty()) tx.exec(ORPHANS);
          return keys.size();
        });
  }
}
