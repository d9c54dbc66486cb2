package dev.agentrt.store.postgres.internal;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL checkpoint store behind {@code PostgresCheckpointStore}: connections from a pool,
 * run leases renewed by a heartbeat thread ({@link Leases}), the writes of a run ({@link
 * RunWrites}), the queue (claims in one transaction each, {@code FOR UPDATE SKIP LOCKED}), reads
 * and retention. Rows are encoded and decoded by {@link Rows}. Time comes from the configured clock
 * ({@link StoreConfig#clock()}).
 */
public final class PgStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgStore.class);
  private static final String TERMINAL = "('COMPLETED', 'FAILED', 'CANCELLED')";

  /** The lease columns and status of a run, selected to take it. */
  private static final String LEASE_COLUMNS =
      "run_id, lease_owner, lease_version, lease_acquired_ms, lease_expires_ms, status";

  private static final String NEXT_QUEUED =
      "SELECT "
          + LEASE_COLUMNS
          + " FROM agentrt_runs WHERE status = 'QUEUED' AND (lease_owner IS NULL OR"
          + " lease_expires_ms <= ?) ORDER BY priority DESC, created_at_ns, seq LIMIT 1 FOR UPDATE SKIP"
          + " LOCKED";

  private static final String NEXT_ABANDONED =
      "SELECT "
          + LEASE_COLUMNS
          + " FROM agentrt_runs WHERE status = 'RUNNING' AND (lease_owner IS NULL OR"
          + " lease_expires_ms <= ?) ORDER BY created_at_ns, seq LIMIT 1 FOR UPDATE SKIP LOCKED";

  private static final String TAKE =
      "UPDATE agentrt_runs SET lease_owner = ?, lease_version = ?, lease_acquired_ms = ?,"
          + " lease_expires_ms = ? WHERE run_id = ? RETURNING "
          + Rows.RUN_COLUMNS;

  private static final String START =
      "UPDATE agentrt_runs SET status = 'RUNNING', updated_at_ns = ?, lease_owner = ?,"
          + " lease_version = ?, lease_acquired_ms = ?, lease_expires_ms = ? WHERE run_id = ?"
          + " RETURNING "
          + Rows.RUN_COLUMNS;

  private final StoreConfig config;
  private final Db db;
  private final Rows rows;
  private final Leases leases;
  private final RunWrites writes;
  private final @Nullable AutoCloseable ownedPool;
  private volatile boolean closed;

  private PgStore(StoreConfig config, DataSource dataSource, @Nullable AutoCloseable ownedPool) {
    this.config = config;
    this.db = new Db(dataSource, config.name(), () -> closed);
    this.rows = new Rows(config.name());
    this.leases = new Leases(config, db);
    this.writes = new RunWrites(config, db, leases);
    this.ownedPool = ownedPool;
  }

  /**
   * Opens the store on {@code dataSource}, migrating the schema; {@code ownedPool} (the pool behind
   * it, or null) is closed with the store, or at once if opening fails.
   */
  public static PgStore open(
      StoreConfig config, DataSource dataSource, @Nullable AutoCloseable ownedPool) {
    PgStore store = new PgStore(config, dataSource, ownedPool);
    try {
      Schema.migrate(store.db, config.clock().millis());
      return store;
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  /** The store's name in messages. */
  public String name() {
    return config.name();
  }

  /** The owner this store takes leases as. */
  public String ownerId() {
    return config.ownerId();
  }

  RunWrites writes() {
    return writes;
  }

  /** {@code run '<id>'}, the subject of messages about a run. */
  static String runSubject(String runId) {
    return "run '" + runId + "'";
  }

  // ------------------------------------------------------------------ runs and leases

  /** Records a new run, owned by this store's owner; its log holds lease 1. */
  public PgRunLog create(RunRecord run) {
    writes.create(run);
    PgRunLog l = new PgRunLog(this, run, List.of(), 1, 0);
    leases.track(l);
    return l;
  }

  /** Takes the lease of a stored run (free, released or expired) and reads it back. */
  public PgRunLog open(String runId) {
    PgRunLog l =
        db.tx(
            runSubject(runId),
            "cannot take ownership of the run",
            c -> {
              Leases.Holder h;
              try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT "
                          + LEASE_COLUMNS
                          + " FROM agentrt_runs WHERE run_id = ? FOR UPDATE")) {
                q.setString(1, runId);
                try (ResultSet r = q.executeQuery()) {
                  if (!r.next()) {
                    throw new RunNotFoundException(
                        runId, "no run '" + runId + "' in the checkpoint store " + name());
                  }
                  h = Leases.holder(r, 2);
                }
              }
              long now = config.clock().millis();
              if (h.liveAt(now)) throw leases.owned(runId, h);
              return take(c, runId, h, now, false, "acquired");
            });
    leases.track(l);
    return l;
  }

  /**
   * Gives this owner a new lease on the run whose lease row {@code h} the caller's transaction
   * holds locked; starts it if {@code start} (a queued run). Reads the run back in the same
   * transaction.
   */
  private PgRunLog take(
      Connection c, String runId, Leases.Holder h, long now, boolean start, String event)
      throws SQLException {
    long next = h.version() + 1;
    RunRecord run;
    try (PreparedStatement u = c.prepareStatement(start ? START : TAKE)) {
      int i = 1;
      if (start) u.setLong(i++, Codec.nanos(config.clock().instant()));
      u.setString(i++, config.ownerId());
      u.setLong(i++, next);
      u.setLong(i++, now);
      u.setLong(i++, leases.expiryFrom(now));
      u.setString(i, runId);
      try (ResultSet r = u.executeQuery()) {
        if (!r.next()) throw new IllegalStateException("run '" + runId + "' vanished while locked");
        run = rows.runFrom(r);
      }
    }
    leases.recordTaken(c, runId, h, next, now, event);
    if (start) return new PgRunLog(this, run, List.of(), next, 0);
    long callSeq;
    try (PreparedStatement q =
        c.prepareStatement("SELECT coalesce(max(seq), 0) FROM agentrt_calls WHERE run_id = ?")) {
      q.setString(1, runId);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        callSeq = r.getLong(1);
      }
    }
    return new PgRunLog(this, run, stepsIn(c, runId), next, callSeq);
  }

  /** Releases {@code l}'s lease with its deferred steps, unless the store is closed. */
  void release(PgRunLog l) {
    if (!closed) writes.release(l);
  }

  /** Stops renewing the lease of {@code l}: it is being given up. */
  void forget(PgRunLog l) {
    leases.forget(l);
  }

  // ------------------------------------------------------------------ queue

  /** Records a queued run, owned by no one. */
  public void enqueue(RunRecord run) {
    if (run.status() != RunStatus.QUEUED) {
      throw new IllegalArgumentException(
          "run '" + run.runId() + "' is " + run.status() + "; only a QUEUED run can be enqueued");
    }
    writes.enqueue(run);
  }

  /**
   * Starts the queued run {@code runId} under a new lease; empty if it is not queued (or owned).
   */
  public Optional<PgRunLog> claim(String runId) {
    Optional<PgRunLog> l =
        db.tx(
            runSubject(runId),
            "cannot claim the run",
            c -> {
              long now = config.clock().millis();
              try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT "
                          + LEASE_COLUMNS
                          + " FROM agentrt_runs WHERE run_id = ? AND status = 'QUEUED' AND"
                          + " (lease_owner IS NULL OR lease_expires_ms <= ?) FOR UPDATE")) {
                q.setString(1, runId);
                q.setLong(2, now);
                try (ResultSet r = q.executeQuery()) {
                  if (!r.next()) return Optional.empty();
                  Leases.Holder h = Leases.holder(r, 2);
                  return Optional.of(take(c, runId, h, now, true, "claimed"));
                }
              }
            });
    l.ifPresent(leases::track);
    return l;
  }

  /**
   * Takes the next run to execute in one transaction: the queued run of the highest priority
   * (oldest first), else a running run whose lease expired or was released; rows locked by another
   * claimer are skipped, not waited for.
   */
  public Optional<PgRunLog> claimNext() {
    Optional<PgRunLog> l =
        db.tx(
            null,
            "cannot claim the next run",
            c -> {
              long now = config.clock().millis();
              for (String sql : List.of(NEXT_QUEUED, NEXT_ABANDONED)) {
                try (PreparedStatement q = c.prepareStatement(sql)) {
                  q.setLong(1, now);
                  String runId;
                  Leases.Holder h;
                  boolean queued;
                  try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) continue;
                    runId = r.getString(1);
                    h = Leases.holder(r, 2);
                    queued = RunStatus.QUEUED.name().equals(r.getString(6));
                  }
                  return Optional.of(
                      take(c, runId, h, now, queued, queued ? "claimed" : "acquired"));
                }
              }
              return Optional.<PgRunLog>empty();
            });
    l.ifPresent(leases::track);
    return l;
  }

  // ------------------------------------------------------------------ queries

  /** The run, if stored. */
  public Optional<RunRecord> find(String runId) {
    return db.auto(
        runSubject(runId),
        "cannot read the run",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + Rows.RUN_COLUMNS + " FROM agentrt_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet r = ps.executeQuery()) {
              return r.next() ? Optional.of(rows.runFrom(r)) : Optional.empty();
            }
          }
        });
  }

  /** The runs that match {@code query}, newest first. */
  public List<RunRecord> list(RunQuery query) {
    return db.auto(
        null,
        "cannot list runs",
        c -> {
          List<Object> args = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + Rows.RUN_COLUMNS + " FROM agentrt_runs" + where(query, args))) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) out.add(rows.runFrom(r));
            }
            return out;
          }
        });
  }

  /** The runs that match {@code query} without their values; unreadable rows are reported. */
  public RunListing summaries(RunQuery query) {
    return db.auto(
        null,
        "cannot list runs",
        c -> {
          List<Object> args = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + Rows.SUMMARY_COLUMNS + " FROM agentrt_runs" + where(query, args))) {
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
    StringBuilder sql = new StringBuilder(" WHERE true");
    query
        .workflowId()
        .ifPresent(
            w -> {
              sql.append(" AND workflow_id = ?");
              args.add(w);
            });
    query
        .status()
        .ifPresent(
            s -> {
              sql.append(" AND status = ?");
              args.add(s.name());
            });
    query
        .since()
        .ifPresent(
            t -> {
              sql.append(" AND created_at_ns >= ?");
              args.add(Codec.nanos(t));
            });
    query
        .labels()
        .forEach(
            (key, value) -> {
              sql.append(" AND options -> 'labels' ->> (?::text) = ?::text");
              args.add(key);
              args.add(value);
            });
    sql.append(" ORDER BY created_at_ns DESC, run_id DESC LIMIT ?");
    args.add(query.limit());
    return sql.toString();
  }

  /** The run's step log, in append order; empty for an unknown run. */
  public List<StepRecord> steps(String runId) {
    return db.auto(runSubject(runId), "cannot read the step log", c -> stepsIn(c, runId));
  }

  private List<StepRecord> stepsIn(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + Rows.STEP_COLUMNS + " FROM agentrt_steps WHERE run_id = ? ORDER BY seq")) {
      ps.setString(1, runId);
      List<StepRecord> out = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) out.add(rows.stepFrom(r));
      }
      return out;
    }
  }

  /** Every call of the run, in append order; empty for an unknown run. */
  public List<CallRecord> calls(String runId) {
    return db.auto(
        runSubject(runId),
        "cannot read the calls",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + Rows.CALL_COLUMNS
                      + " FROM agentrt_calls WHERE run_id = ? ORDER BY seq")) {
            ps.setString(1, runId);
            return callsOf(ps);
          }
        });
  }

  /** The calls of {@code stepKey} recorded up to {@code maxSeq} (0: none), in append order. */
  List<CallRecord> calls(String runId, String stepKey, long maxSeq) {
    if (maxSeq < 1) return List.of();
    return db.auto(
        runSubject(runId) + ", step '" + stepKey + "'",
        "cannot read the calls",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + Rows.CALL_COLUMNS
                      + " FROM agentrt_calls WHERE run_id = ? AND step_key = ? AND seq <= ?"
                      + " ORDER BY seq")) {
            ps.setString(1, runId);
            ps.setString(2, stepKey);
            ps.setLong(3, maxSeq);
            return callsOf(ps);
          }
        });
  }

  private List<CallRecord> callsOf(PreparedStatement ps) throws SQLException {
    List<CallRecord> out = new ArrayList<>();
    try (ResultSet r = ps.executeQuery()) {
      while (r.next()) out.add(rows.callFrom(r));
    }
    return out;
  }

  // ------------------------------------------------------------------ retention

  /** Deletes one run whatever its status unless a live lease holds it; false if there is none. */
  public boolean delete(String runId) {
    String subject = runSubject(runId);
    return db.tx(
        subject,
        "cannot delete the run",
        c -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT lease_owner, lease_expires_ms FROM agentrt_runs WHERE run_id = ? FOR"
                      + " UPDATE")) {
            q.setString(1, runId);
            try (ResultSet r = q.executeQuery()) {
              if (!r.next()) return false;
              String owner = r.getString(1);
              long expires = r.getLong(2);
              if (owner != null && !r.wasNull() && expires > config.clock().millis()) {
                throw new CheckpointStoreException(
                    "checkpoint store "
                        + name()
                        + ": "
                        + subject
                        + ": cannot be deleted: it is executing (owner "
                        + owner
                        + ")");
              }
            }
          }
          deleteRuns(c, List.of(runId));
          return true;
        });
  }

  /**
   * Deletes finished runs no engine owns: beyond the newest {@code keepLast}, or whose status last
   * changed before {@code now - maxAge}; a null rule does not apply.
   */
  public int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    if (keepLast == null && maxAge == null) return 0;
    return db.tx(
        null,
        "cannot prune runs",
        c -> {
          List<String> rules = new ArrayList<>();
          if (keepLast != null) {
            rules.add(
                "run_id NOT IN (SELECT run_id FROM agentrt_runs ORDER BY created_at_ns DESC,"
                    + " run_id DESC LIMIT ?)");
          }
          if (maxAge != null) rules.add("updated_at_ns < ?");
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT run_id FROM agentrt_runs WHERE ("
                      + String.join(" OR ", rules)
                      + ") AND status IN "
                      + TERMINAL
                      + " AND (lease_owner IS NULL OR lease_expires_ms <= ?) FOR UPDATE SKIP"
                      + " LOCKED")) {
            int i = 1;
            if (keepLast != null) q.setInt(i++, keepLast);
            if (maxAge != null) q.setLong(i++, Codec.nanos(config.clock().instant().minus(maxAge)));
            q.setLong(i, config.clock().millis());
            List<String> ids = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
              while (r.next()) ids.add(r.getString(1));
            }
            if (!ids.isEmpty()) deleteRuns(c, ids);
            return ids.size();
          }
        });
  }

  private static void deleteRuns(Connection c, List<String> ids) throws SQLException {
    Array array = c.createArrayOf("text", ids.toArray(new String[0]));
    try {
      for (String table :
          List.of("agentrt_calls", "agentrt_steps", "agentrt_run_events", "agentrt_runs")) {
        try (PreparedStatement d =
            c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ANY (?)")) {
          d.setArray(1, array);
          d.executeUpdate();
        }
      }
    } finally {
      array.free();
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Stops or restarts lease renewal, to simulate a stalled process (tests). Stopping waits for a
   * renewal under way.
   */
  public void heartbeat(boolean enabled) {
    leases.heartbeat(enabled);
  }

  /** Renews the leases of the open logs now, as the heartbeat does (tests). */
  public void renewLeases() {
    leases.renew();
  }

  /** Releases the leases of logs still open, stops the heartbeat and closes the own pool. */
  @Override
  public synchronized void close() {
    if (closed) return;
    for (PgRunLog l : leases.tracked()) {
      log.warn(
          "checkpoint store {}: run '{}' is still open while the store closes; releasing its lease",
          name(),
          l.runId());
      l.close();
    }
    leases.close();
    closed = true;
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        log.warn("checkpoint store {}: closing the connection pool failed", name(), e);
      }
    }
  }
}
