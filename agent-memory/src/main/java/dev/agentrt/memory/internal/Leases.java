package dev.agentrt.memory.internal;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunOwnedException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run ownership: the lease a run log holds (taken on open, taken over once expired, released on
 * close), the fencing condition every write of a log carries, the explanation of a write that lost
 * its lease, the heartbeat thread that renews the leases of open logs, and the {@code run_events}
 * history of all of it but the creator's first lease (a run that never changes hands has none).
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  /**
   * A lease just taken: the run's key, the lease's version, and the highest call sequence of the
   * run at that moment.
   */
  record Lease(long runKey, long version, long callSeqAtOpen) {}

  /**
   * The fencing condition of every write of a log, on {@code runs} ({@link #bind}): the run (by
   * key, and by id, so that a key reused after a deletion never matches) and the lease.
   */
  static final String FENCE =
      "run_key = ? AND run_id = ? AND lease_version = ? AND lease_owner = ?";

  private final StoreConfig config;
  private final Writer writer;
  private final Set<SqliteRunLog> openLogs = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeat;
  private volatile boolean heartbeatEnabled = true;
  private volatile boolean closed;

  Leases(StoreConfig config, Writer writer) {
    this.config = config;
    this.writer = writer;
    ScheduledThreadPoolExecutor hb =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "agentrt-sqlite-leases " + config.path().getFileName());
              t.setDaemon(true);
              return t;
            });
    hb.setRemoveOnCancelPolicy(true);
    this.heartbeat = hb;
    long period = Math.max(5, config.leaseTtl().toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  private Path path() {
    return config.path();
  }

  /** Renews {@code l}'s lease with the others until {@link #forget}. */
  void track(SqliteRunLog l) {
    openLogs.add(l);
  }

  void forget(SqliteRunLog l) {
    openLogs.remove(l);
  }

  /** The logs whose leases are renewed. */
  List<SqliteRunLog> tracked() {
    return new ArrayList<>(openLogs);
  }

  /**
   * Takes the lease of {@code runId} for this store's owner: free, or expired (a takeover, logged
   * and recorded).
   *
   * @throws RunNotFoundException if there is no such run
   * @throws RunOwnedException if another owner's lease is current
   */
  Lease acquire(String runId) {
    return writer.submit(
        SqliteStore.runSubject(runId),
        "cannot take ownership of the run",
        tx -> {
          PreparedStatement q =
              tx.prepare(
                  "SELECT lease_owner, lease_version, lease_acquired_ms, lease_expires_ms, run_key "
                      + "FROM runs WHERE run_id = ?");
          q.setString(1, runId);
          long runKey;
          String owner;
          long version;
          long acquiredMs;
          long expiresMs;
          try (ResultSet r = q.executeQuery()) {
            if (!r.next()) {
              throw new RunNotFoundException(
                  runId, "no run '" + runId + "' in the checkpoint store " + path());
            }
            owner = r.getString(1);
            version = r.getLong(2);
            acquiredMs = r.getLong(3);
            expiresMs = r.getLong(4);
            runKey = r.getLong(5);
          }
          long now = config.clock().millis();
          if (owner != null && expiresMs > now) {
            throw new RunOwnedException(
                runId,
                owner,
                Instant.ofEpochMilli(expiresMs),
                "checkpoint store "
                    + path()
                    + ": "
                    + ownedBy(runId, owner, acquiredMs)
                    + " (lease "
                    + version
                    + ", expires "
                    + Instant.ofEpochMilli(expiresMs)
                    + "; resume it once that owner "
                    + "has finished, or once its lease has expired if it crashed)");
          }
          long next = version + 1;
          PreparedStatement u =
              tx.prepare(
                  "UPDATE runs SET lease_owner = ?, lease_version = ?, lease_acquired_ms = ?, "
                      + "lease_expires_ms = ? WHERE run_key = ? AND lease_version = ?");
          u.setString(1, config.ownerId());
          u.setLong(2, next);
          u.setLong(3, now);
          u.setLong(4, now + config.leaseTtl().toMillis());
          u.setLong(5, runKey);
          u.setLong(6, version);
          if (u.executeUpdate() != 1)
            throw new IllegalStateException(
                "lease of run '" + runId + "' changed under the writer");
          if (owner != null) {
            log.warn(
                "checkpoint store {}: run '{}': lease {} of {} expired at {}; taken over by {} (lease {})",
                path(),
                runId,
                version,
                owner,
                Instant.ofEpochMilli(expiresMs),
                config.ownerId(),
                next);
            event(tx, runKey, now, "takeover", next, owner, version);
          } else {
            event(tx, runKey, now, "acquired", next, null, null);
          }
          return new Lease(runKey, next, maxCallSeq(tx, runKey));
        });
  }

  private static String ownedBy(String runId, String owner, long sinceMs) {
    return "run '" + runId + "' is owned by " + owner + " since " + Instant.ofEpochMilli(sinceMs);
  }

  /** The highest call sequence of the run (0: none). */
  static long maxCallSeq(Writer.Tx tx, long runKey) throws SQLException {
    PreparedStatement c = tx.prepare("SELECT coalesce(max(seq), 0) FROM calls WHERE run_key = ?");
    c.setLong(1, runKey);
    try (ResultSet r = c.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Binds {@link #FENCE} for {@code l}'s lease; returns the next parameter index. */
  int bind(PreparedStatement ps, int i, SqliteRunLog l) throws SQLException {
    ps.setLong(i++, l.runKey);
    ps.setString(i++, l.runId());
    ps.setLong(i++, l.leaseVersion);
    ps.setString(i++, config.ownerId());
    return i;
  }

  /** A fenced write changed no row: throws, saying who owns the run now. */
  void lost(Writer.Tx tx, SqliteRunLog l, String context) throws SQLException {
    check(tx, l, context);
    throw new IllegalStateException(
        context
            + ": the write changed no row although run '"
            + l.runId()
            + "' is owned by "
            + "lease "
            + l.leaseVersion);
  }

  /**
   * Throws unless {@code l}'s lease is still the run's current one, saying who owns the run. The
   * fencing itself is the condition of each write ({@link #bind}); this explains a write that
   * changed no row.
   */
  private void check(Writer.Tx tx, SqliteRunLog l, String context) throws SQLException {
    PreparedStatement q =
        tx.prepare(
            "SELECT lease_owner, lease_version, lease_acquired_ms, lease_expires_ms FROM runs "
                + "WHERE run_key = ? AND run_id = ?");
    q.setLong(1, l.runKey);
    q.setString(2, l.runId());
    try (ResultSet r = q.executeQuery()) {
      if (!r.next()) {
        throw new CheckpointStoreException(
            "checkpoint store "
                + path()
                + ": "
                + context
                + ": run '"
                + l.runId()
                + "' was deleted while this engine owned it");
      }
      String owner = r.getString(1);
      long version = r.getLong(2);
      if (version == l.leaseVersion && config.ownerId().equals(owner)) return;
      if (owner == null) {
        // taken over and since released (the new owner finished or paused the run): still a lost
        // run for this engine, not a failed one
        String taker = holder(tx, l.runKey, version);
        throw new RunOwnedException(
            l.runId(),
            taker == null ? "another engine" : taker,
            config.clock().instant(),
            "checkpoint store "
                + path()
                + ": "
                + context
                + ": run '"
                + l.runId()
                + "' is no longer owned by "
                + config.ownerId()
                + ": its lease "
                + l.leaseVersion
                + " was taken over"
                + (taker == null ? "" : " by " + taker)
                + " (lease "
                + version
                + ", since released); this engine must stop"
                + " the run");
      }
      throw new RunOwnedException(
          l.runId(),
          owner,
          Instant.ofEpochMilli(r.getLong(4)),
          "checkpoint store "
              + path()
              + ": "
              + context
              + ": "
              + ownedBy(l.runId(), owner, r.getLong(3))
              + " (lease "
              + version
              + "; this log's "
              + "lease "
              + l.leaseVersion
              + " was taken over after it expired; this engine must stop the run)");
    }
  }

  /**
   * The engine that took lease {@code version} of a run (from run_events), or null if none is
   * recorded.
   */
  private static @Nullable String holder(Writer.Tx tx, long runKey, long version)
      throws SQLException {
    PreparedStatement q =
        tx.prepare(
            "SELECT owner FROM run_events WHERE run_key = ? AND lease_version = ? "
                + "AND event <> 'released' ORDER BY id DESC LIMIT 1");
    q.setLong(1, runKey);
    q.setLong(2, version);
    try (ResultSet r = q.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** Records a lease event taken by this store's owner. */
  void event(
      Writer.Tx tx,
      long runKey,
      long atMs,
      String event,
      long version,
      @Nullable String previous,
      @Nullable Long previousVersion)
      throws SQLException {
    PreparedStatement e =
        tx.prepare(
            "INSERT INTO run_events (run_key, at_ms, event, owner, lease_version, "
                + "previous_owner, previous_version) VALUES (?, ?, ?, ?, ?, ?, ?)");
    e.setLong(1, runKey);
    e.setLong(2, atMs);
    e.setString(3, event);
    e.setString(4, config.ownerId());
    e.setLong(5, version);
    RowCodec.setNullable(e, 6, previous);
    if (previousVersion == null) e.setNull(7, Types.INTEGER);
    else e.setLong(7, previousVersion);
    e.executeUpdate();
  }

  /**
   * Whether the taking of lease {@code version} was recorded: not for a run's creator, whose
   * release is then not recorded either.
   */
  static boolean recorded(Writer.Tx tx, long runKey, long version) throws SQLException {
    PreparedStatement q =
        tx.prepare("SELECT 1 FROM run_events WHERE run_key = ? AND lease_version = ? LIMIT 1");
    q.setLong(1, runKey);
    q.setLong(2, version);
    try (ResultSet r = q.executeQuery()) {
      return r.next();
    }
  }

  /** The assignments that release a lease: no owner, no expiry, no acquisition time. */
  static final String RELEASED =
      "lease_owner = NULL, lease_acquired_ms = NULL, lease_expires_ms = NULL";

  /**
   * Records the release of lease {@code version}, just made in {@code tx}, if its taking was
   * recorded.
   */
  void released(Writer.Tx tx, long runKey, long version) throws SQLException {
    if (recorded(tx, runKey, version))
      event(tx, runKey, config.clock().millis(), "released", version, null, null);
  }

  /**
   * Releases lease {@code version} of {@code runId} if still this owner's; a failure is logged (it
   * expires anyway).
   */
  void release(long runKey, String runId, long version) {
    try {
      writer.submit(
          SqliteStore.runSubject(runId),
          "cannot release the run's lease",
          tx -> {
            PreparedStatement u = tx.prepare("UPDATE runs SET " + RELEASED + " WHERE " + FENCE);
            u.setLong(1, runKey);
            u.setString(2, runId);
            u.setLong(3, version);
            u.setString(4, config.ownerId());
            if (u.executeUpdate() == 1) released(tx, runKey, version);
            return null;
          });
    } catch (CheckpointStoreException e) {
      log.warn(
          "checkpoint store {}: run '{}': the lease could not be released; it expires on its own",
          path(),
          runId,
          e);
    }
  }

  private void renew() {
    if (!heartbeatEnabled || openLogs.isEmpty() || closed) return;
    List<SqliteRunLog> logs = new ArrayList<>(openLogs);
    try {
      writer.submit(
          null,
          "cannot renew run leases",
          tx -> {
            long now = config.clock().millis();
            PreparedStatement u = tx.prepare("UPDATE runs SET lease_expires_ms = ? WHERE " + FENCE);
            for (SqliteRunLog l : logs) {
              u.setLong(1, now + config.leaseTtl().toMillis());
              bind(u, 2, l);
              if (u.executeUpdate() == 0 && openLogs.remove(l)) {
                log.warn(
                    "checkpoint store {}: run '{}': lease {} was taken over by another owner; this engine can no longer "
                        + "append to the run",
                    path(),
                    l.runId(),
                    l.leaseVersion);
              }
            }
            return null;
          });
    } catch (RuntimeException e) {
      log.warn(
          "checkpoint store {}: renewing run leases failed; they expire unless renewed", path(), e);
    }
  }

  /** See {@link SqliteStore#heartbeat(boolean)}. */
  void heartbeat(boolean enabled) {
    this.heartbeatEnabled = enabled;
    if (enabled || closed) return;
    try {
      heartbeat
          .submit(() -> {})
          .get(); // the heartbeat has one thread: this runs after the renewal in flight
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // closing: no renewal follows either
    }
  }

  /** Stops renewing; the leases of logs still open expire on their own. */
  void close() {
    closed = true;
    heartbeat.shutdownNow();
  }
}
