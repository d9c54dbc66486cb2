package dev.agentrt.store.postgres.internal;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunOwnedException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run ownership: taking a lease (free, released, or expired: a takeover), the fencing condition
 * every write of a log carries ({@link #FENCE}), the explanation of a write that lost its lease,
 * the heartbeat thread that renews the leases of open logs in one statement, releasing, and the
 * {@code agentrt_run_events} history of all of it.
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(PgStore.class);

  /**
   * The fencing condition of a write, on {@code agentrt_runs}: the log's lease is the run's current
   * one. Selected {@code FOR SHARE}, the row stays locked until the write commits, so a takeover
   * (an UPDATE of the row) either commits before the write, which then finds no row and writes
   * nothing, or waits for the write to commit.
   */
  static final String FENCE =
      " FROM agentrt_runs WHERE run_id = ? AND lease_version = ? AND lease_owner = ? FOR SHARE";

  private static final String RENEW =
      "UPDATE agentrt_runs r SET lease_expires_ms = ? FROM unnest(?::text[], ?::bigint[]) AS"
          + " l(run_id, version) WHERE r.run_id = l.run_id AND r.lease_version = l.version AND"
          + " r.lease_owner = ? RETURNING r.run_id";

  private static final String RELEASE =
      "WITH released AS (UPDATE agentrt_runs SET lease_owner = NULL, lease_expires_ms = NULL"
          + " WHERE run_id = ? AND lease_version = ? AND lease_owner = ? RETURNING run_id,"
          + " lease_version) INSERT INTO agentrt_run_events (run_id, at_ms, event, owner,"
          + " lease_version) SELECT run_id, ?, 'released', ?, lease_version FROM released";

  /** A run's lease as a locked row shows it. */
  record Holder(@Nullable String owner, long version, long acquiredMs, @Nullable Long expiresMs) {
    boolean liveAt(long nowMs) {
      return owner != null && expiresMs != null && expiresMs > nowMs;
    }
  }

  private final StoreConfig config;
  private final Db db;
  private final Set<PgRunLog> openLogs = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor heartbeat;
  private volatile boolean heartbeatEnabled = true;
  private volatile boolean closed;

  Leases(StoreConfig config, Db db) {
    this.config = config;
    this.db = db;
    this.heartbeat =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "agentrt-postgres-leases");
              t.setDaemon(true);
              return t;
            });
    heartbeat.setRemoveOnCancelPolicy(true);
    long period = Math.max(5, config.leaseTtl().toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(
        () -> {
          if (heartbeatEnabled) renew();
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /** Renews {@code l}'s lease with the others until {@link #forget}. */
  void track(PgRunLog l) {
    openLogs.add(l);
  }

  void forget(PgRunLog l) {
    openLogs.remove(l);
  }

  /** The logs whose leases are renewed. */
  List<PgRunLog> tracked() {
    return new ArrayList<>(openLogs);
  }

  long expiryFrom(long nowMs) {
    return nowMs + config.leaseTtl().toMillis();
  }

  /** The lease columns of the row {@code r} selected as {@code lease_owner, lease_version, ...}. */
  static Holder holder(ResultSet r, int i) throws SQLException {
    String owner = r.getString(i);
    long version = r.getLong(i + 1);
    long acquired = r.getLong(i + 2);
    long expires = r.getLong(i + 3);
    return new Holder(owner, version, acquired, r.wasNull() ? null : expires);
  }

  /** The exception for a run whose lease {@code h} is live: who owns it, until when. */
  RunOwnedException owned(String runId, Holder h) {
    Instant expires = Instant.ofEpochMilli(h.expiresMs() == null ? 0 : h.expiresMs());
    String owner = h.owner() == null ? "another engine" : h.owner();
    return new RunOwnedException(
        runId,
        owner,
        expires,
        "checkpoint store "
            + config.name()
            + ": "
            + ownedBy(runId, owner, h.acquiredMs())
            + " (lease "
            + h.version()
            + ", expires "
            + expires
            + "; resume it once that owner has finished, or once its lease has expired if it"
            + " crashed)");
  }

  private static String ownedBy(String runId, String owner, long sinceMs) {
    return "run '" + runId + "' is owned by " + owner + " since " + Instant.ofEpochMilli(sinceMs);
  }

  /**
   * Records this owner's new lease {@code next} of a run whose previous lease was {@code previous}
   * (locked by the caller's transaction): {@code event} is {@code acquired} or {@code claimed} for
   * a free run, a takeover (logged) when the previous owner's lease had expired.
   */
  void recordTaken(Connection c, String runId, Holder previous, long next, long nowMs, String event)
      throws SQLException {
    if (previous.owner() != null) {
      log.warn(
          "checkpoint store {}: run '{}': lease {} of {} expired at {}; taken over by {} (lease {})",
          config.name(),
          runId,
          previous.version(),
          previous.owner(),
          Instant.ofEpochMilli(previous.expiresMs() == null ? 0 : previous.expiresMs()),
          config.ownerId(),
          next);
      event(c, runId, nowMs, "takeover", next, previous.owner(), previous.version());
    } else {
      event(c, runId, nowMs, event, next, null, null);
    }
  }

  /** Binds {@code run_id = ? AND lease_version = ? AND lease_owner = ?} for {@code l}'s lease. */
  int bind(PreparedStatement ps, int i, PgRunLog l) throws SQLException {
    ps.setString(i++, l.runId());
    ps.setLong(i++, l.leaseVersion);
    ps.setString(i++, config.ownerId());
    return i;
  }

  /**
   * A fenced write changed no row: the exception saying who owns the run now (or that it was
   * deleted).
   */
  RuntimeException lost(Connection c, PgRunLog l, String context) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT lease_owner, lease_version, lease_acquired_ms, lease_expires_ms FROM"
                + " agentrt_runs WHERE run_id = ?")) {
      q.setString(1, l.runId());
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          return new CheckpointStoreException(
              "checkpoint store "
                  + config.name()
                  + ": "
                  + context
                  + ": run '"
                  + l.runId()
                  + "' was deleted while this engine owned it");
        }
        Holder h = holder(r, 1);
        if (h.version() == l.leaseVersion && config.ownerId().equals(h.owner())) {
          return new IllegalStateException(
              context
                  + ": the write changed no row although run '"
                  + l.runId()
                  + "' is owned by lease "
                  + l.leaseVersion);
        }
        if (h.owner() == null) {
          // taken over and since released (the new owner finished or paused the run): still a
          // lost run for this engine, not a failed one
          String taker = takerOf(c, l.runId(), h.version());
          return new RunOwnedException(
              l.runId(),
              taker == null ? "another engine" : taker,
              config.clock().instant(),
              "checkpoint store "
                  + config.name()
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
                  + h.version()
                  + ", since released); this engine must stop the run");
        }
        return new RunOwnedException(
            l.runId(),
            h.owner(),
            Instant.ofEpochMilli(h.expiresMs() == null ? 0 : h.expiresMs()),
            "checkpoint store "
                + config.name()
                + ": "
                + context
                + ": "
                + ownedBy(l.runId(), h.owner(), h.acquiredMs())
                + " (lease "
                + h.version()
                + "; this log's lease "
                + l.leaseVersion
                + " was taken over after it expired; this engine must stop the run)");
      }
    }
  }

  /** The engine that took lease {@code version} of a run, or null if none is recorded. */
  private static @Nullable String takerOf(Connection c, String runId, long version)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT owner FROM agentrt_run_events WHERE run_id = ? AND lease_version = ? AND"
                + " event <> 'released' ORDER BY id DESC LIMIT 1")) {
      q.setString(1, runId);
      q.setLong(2, version);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** Records a lease event taken by this store's owner. */
  void event(
      Connection c,
      String runId,
      long atMs,
      String event,
      long version,
      @Nullable String previous,
      @Nullable Long previousVersion)
      throws SQLException {
    try (PreparedStatement e =
        c.prepareStatement(
            "INSERT INTO agentrt_run_events (run_id, at_ms, event, owner, lease_version,"
                + " previous_owner, previous_version) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      e.setString(1, runId);
      e.setLong(2, atMs);
      e.setString(3, event);
      e.setString(4, config.ownerId());
      e.setLong(5, version);
      Rows.setNullable(e, 6, previous);
      if (previousVersion == null) e.setNull(7, Types.BIGINT);
      else e.setLong(7, previousVersion);
      e.executeUpdate();
    }
  }

  /**
   * Releases lease {@code version} of {@code runId} if still this owner's; a failure is logged (it
   * expires anyway).
   */
  void release(String runId, long version) {
    try {
      db.auto(
          PgStore.runSubject(runId),
          "cannot release the run's lease",
          c -> release(c, runId, version));
    } catch (CheckpointStoreException e) {
      log.warn(
          "checkpoint store {}: run '{}': the lease could not be released; it expires on its own",
          config.name(),
          runId,
          e);
    }
  }

  /**
   * Releases lease {@code version} of {@code runId} on {@code c} if still this owner's, and records
   * the {@code released} event; the number of runs released (0 or 1).
   */
  int release(Connection c, String runId, long version) throws SQLException {
    try (PreparedStatement u = c.prepareStatement(RELEASE)) {
      u.setString(1, runId);
      u.setLong(2, version);
      u.setString(3, config.ownerId());
      u.setLong(4, config.clock().millis());
      u.setString(5, config.ownerId());
      return u.executeUpdate();
    }
  }

  /** Renews the leases of every open log in one statement; a log whose lease is gone is dropped. */
  void renew() {
    if (openLogs.isEmpty() || closed) return;
    List<PgRunLog> logs = new ArrayList<>(openLogs);
    try {
      Set<String> renewed =
          db.auto(
              null,
              "cannot renew run leases",
              c -> {
                String[] ids = new String[logs.size()];
                Long[] versions = new Long[logs.size()];
                for (int i = 0; i < ids.length; i++) {
                  ids[i] = logs.get(i).runId();
                  versions[i] = logs.get(i).leaseVersion;
                }
                Array idArray = c.createArrayOf("text", ids);
                Array versionArray = c.createArrayOf("bigint", versions);
                try (PreparedStatement u = c.prepareStatement(RENEW)) {
                  u.setLong(1, expiryFrom(config.clock().millis()));
                  u.setArray(2, idArray);
                  u.setArray(3, versionArray);
                  u.setString(4, config.ownerId());
                  Set<String> out = new HashSet<>();
                  try (ResultSet r = u.executeQuery()) {
                    while (r.next()) out.add(r.getString(1));
                  }
                  return out;
                } finally {
                  idArray.free();
                  versionArray.free();
                }
              });
      for (PgRunLog l : logs) {
        if (!renewed.contains(l.runId()) && openLogs.remove(l)) {
          log.warn(
              "checkpoint store {}: run '{}': lease {} was taken over by another owner; this"
                  + " engine can no longer append to the run",
              config.name(),
              l.runId(),
              l.leaseVersion);
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "checkpoint store {}: renewing run leases failed; they expire unless renewed",
          config.name(),
          e);
    }
  }

  /**
   * Stops or restarts lease renewal, to simulate a stalled process. Stopping waits for a renewal
   * already under way, so that no renewal reads the clock after this returns.
   */
  void heartbeat(boolean enabled) {
    this.heartbeatEnabled = enabled;
    if (enabled || closed) return;
    try {
      heartbeat.submit(() -> {}).get(); // one thread: this runs after the renewal in flight
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // closing: no renewal follows either
    }
  }

  /** Stops renewing and waits for a renewal in flight; leases of logs still open expire. */
  void close() {
    closed = true;
    heartbeat.shutdownNow();
    try {
      if (!heartbeat.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("checkpoint store {}: the lease heartbeat did not stop in 10 s", config.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
