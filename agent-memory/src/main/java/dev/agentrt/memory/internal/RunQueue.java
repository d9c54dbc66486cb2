package dev.agentrt.memory.internal;

import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims: handing a queued run, or a running run nobody holds (its lease released or expired), to
 * this store's owner. Each claim is one write transaction of the {@link Writer} ({@code BEGIN
 * IMMEDIATE}, so claims of several processes on one file are serialized): the run is chosen, made
 * {@code RUNNING} with this owner's lease under the condition that its lease version has not
 * changed, the claim is recorded in {@code run_events}, and the run with its steps is read back on
 * the same connection.
 */
final class RunQueue {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  /** The oldest queued run of the highest priority (the partial index {@code runs_queue}). */
  private static final String NEXT_QUEUED =
      "SELECT run_id FROM runs WHERE status = "
          + Codes.RUN_STATUS.of(RunStatus.QUEUED)
          + " ORDER BY priority DESC, created_at_ns, run_key LIMIT 1";

  /**
   * A running run whose lease was released (NULL) or has expired (the partial index {@code
   * runs_running}).
   */
  private static final String NEXT_ABANDONED =
      "SELECT run_id FROM runs WHERE status = "
          + Codes.RUN_STATUS.of(RunStatus.RUNNING)
          + " AND (lease_owner IS NULL OR lease_expires_ms <= ?) ORDER BY created_at_ns LIMIT 1";

  /** A run claimed: its record and steps as read back after the claim, and its new lease. */
  record Claimed(
      RunRecord run, List<StepRecord> steps, long runKey, long leaseVersion, long callSeqAtOpen) {}

  private final StoreConfig config;
  private final Writer writer;
  private final StoreReaders readers;
  private final Leases leases;

  RunQueue(StoreConfig config, Writer writer, StoreReaders readers, Leases leases) {
    this.config = config;
    this.writer = writer;
    this.readers = readers;
    this.leases = leases;
  }

  /** Claims the queued run {@code runId}; null if it is not (or no longer) queued. */
  @Nullable Claimed claim(String runId) {
    return writer.submit(
        SqliteStore.runSubject(runId),
        "cannot claim the run",
        tx -> take(tx, runId, true, config.clock().millis()));
  }

  /** Claims the next queued run, else a running run nobody holds; null if there is none. */
  @Nullable Claimed claimNext() {
    return writer.submit(
        null,
        "cannot claim the next run",
        tx -> {
          long now = config.clock().millis();
          String queued = first(tx.prepare(NEXT_QUEUED), null);
          if (queued != null) return take(tx, queued, true, now);
          String abandoned = first(tx.prepare(NEXT_ABANDONED), now);
          return abandoned == null ? null : take(tx, abandoned, false, now);
        });
  }

  private static @Nullable String first(PreparedStatement q, @Nullable Long now)
      throws SQLException {
    if (now != null) q.setLong(1, now);
    try (ResultSet r = q.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /**
   * Takes {@code runId} for this owner if it is queued ({@code queued}) or running and not held;
   * null otherwise.
   */
  private @Nullable Claimed take(Writer.Tx tx, String runId, boolean queued, long now)
      throws SQLException {
    PreparedStatement q =
        tx.prepare(
            "SELECT status, lease_owner, lease_version, lease_expires_ms, run_key FROM runs "
                + "WHERE run_id = ?");
    q.setString(1, runId);
    int status;
    String owner;
    long version;
    long expiresMs;
    long runKey;
    try (ResultSet r = q.executeQuery()) {
      if (!r.next()) return null;
      status = r.getInt(1);
      owner = r.getString(2);
      version = r.getLong(3);
      expiresMs = r.getLong(4);
      runKey = r.getLong(5);
    }
    if (status != Codes.RUN_STATUS.of(queued ? RunStatus.QUEUED : RunStatus.RUNNING)) return null;
    if (owner != null && expiresMs > now) return null;
    long next = version + 1;
    PreparedStatement u =
        tx.prepare(
            "UPDATE runs SET status = "
                + Codes.RUN_STATUS.of(RunStatus.RUNNING)
                + ", updated_at_ns = CASE WHEN status = "
                + Codes.RUN_STATUS.of(RunStatus.QUEUED)
                + " THEN ? ELSE updated_at_ns END, lease_owner = ?, lease_version = ?, "
                + "lease_acquired_ms = ?, lease_expires_ms = ? WHERE run_key = ? AND lease_version = ?");
    u.setLong(1, Codec.nanos(config.clock().instant()));
    u.setString(2, config.ownerId());
    u.setLong(3, next);
    u.setLong(4, now);
    u.setLong(5, now + config.leaseTtl().toMillis());
    u.setLong(6, runKey);
    u.setLong(7, version);
    if (u.executeUpdate() != 1)
      throw new IllegalStateException("lease of run '" + runId + "' changed under the writer");
    if (owner != null) {
      log.warn(
          "checkpoint store {}: run '{}': lease {} of {} expired; claimed by {} (lease {})",
          config.path(),
          runId,
          version,
          owner,
          config.ownerId(),
          next);
      leases.event(tx, runKey, now, "takeover", next, owner, version);
    } else {
      leases.event(tx, runKey, now, queued ? "claimed" : "acquired", next, null, null);
    }
    RunRecord run =
        readers
            .findIn(tx.connection, runId)
            .orElseThrow(() -> new IllegalStateException("run '" + runId + "' vanished"));
    List<StepRecord> steps = queued ? List.of() : readers.stepsIn(tx.connection, runId);
    long callSeq = queued ? 0 : Leases.maxCallSeq(tx, runKey);
    return new Claimed(run, steps, runKey, next, callSeq);
  }
}
