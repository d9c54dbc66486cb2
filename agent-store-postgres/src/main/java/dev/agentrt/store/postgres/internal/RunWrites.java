package dev.agentrt.store.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.store.postgres.internal.Rows.EncodedCall;
import dev.agentrt.store.postgres.internal.Rows.EncodedStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of a run: creating or enqueuing it, appending steps and calls, recording its status,
 * finishing it. Values are encoded before a connection is taken; every write of a log is fenced by
 * its lease in its own statement ({@link Leases#FENCE}). A step without records to commit with it,
 * a call, a status update and a finish (status and release) are one statement each, committed on
 * their own (one round trip); the deferred steps of a log ({@link PgRunLog#appendDeferrable}) are
 * inserted before the next write, in its transaction.
 */
final class RunWrites {
  private static final Logger log = LoggerFactory.getLogger(PgStore.class);

  private static final String STEP_INSERT =
      "INSERT INTO agentrt_steps (run_id, record_version, step_key, node_id, attempts, status,"
          + " output, error, started_at_ns, duration_ns, usage) ";

  /** A step, if the lease is current. */
  private static final String INSERT_STEP_FENCED =
      STEP_INSERT + "SELECT run_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + Leases.FENCE;

  private static final String CALL_INSERT =
      "INSERT INTO agentrt_calls (run_id, record_version, step_key, idx, kind, name, request_hash,"
          + " request, response, usage, started_at_ns, duration_ns) ";

  /** A call, if the lease is current. */
  private static final String INSERT_CALL_FENCED =
      CALL_INSERT + "SELECT run_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + Leases.FENCE;

  /** A call committed with its step, whose fenced insert holds the run's row. */
  private static final String INSERT_CALL =
      CALL_INSERT + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE_STATUS =
      "UPDATE agentrt_runs SET status = ?, reason = ?, step_key = ?, message = ?, output = ?,"
          + " updated_at_ns = ? WHERE run_id = ? AND lease_version = ? AND lease_owner = ?";

  /**
   * The status, and the lease released with its {@code released} event (as {@link Leases#release}
   * does), if the lease is current: one statement.
   */
  private static final String FINISH =
      "WITH finished AS (UPDATE agentrt_runs SET status = ?, reason = ?, step_key = ?, message = ?,"
          + " output = ?, updated_at_ns = ?, lease_owner = NULL, lease_expires_ms = NULL WHERE"
          + " run_id = ? AND lease_version = ? AND lease_owner = ? RETURNING run_id, lease_version)"
          + " INSERT INTO agentrt_run_events (run_id, at_ms, event, owner, lease_version) SELECT"
          + " run_id, ?, 'released', ?, lease_version FROM finished RETURNING run_id";

  /** A new run with lease 1 of this owner, and its {@code created} event; no row if it exists. */
  private static final String CREATE =
      "WITH run AS (INSERT INTO agentrt_runs ("
          + Rows.RUN_COLUMNS
          + ", lease_owner, lease_version, lease_acquired_ms, lease_expires_ms) VALUES ("
          + Rows.RUN_VALUES
          + ", ?, 1, ?, ?) ON CONFLICT (run_id) DO NOTHING RETURNING run_id) INSERT INTO"
          + " agentrt_run_events (run_id, at_ms, event, owner, lease_version) SELECT run_id, ?,"
          + " 'created', ?, 1 FROM run RETURNING run_id";

  /** A new queued run, owned by no one (lease 0), and its {@code enqueued} event. */
  private static final String ENQUEUE =
      "WITH run AS (INSERT INTO agentrt_runs ("
          + Rows.RUN_COLUMNS
          + ", lease_version) VALUES ("
          + Rows.RUN_VALUES
          + ", 0) ON CONFLICT (run_id) DO NOTHING RETURNING run_id) INSERT INTO agentrt_run_events"
          + " (run_id, at_ms, event, owner, lease_version) SELECT run_id, ?, 'enqueued', ?, 0"
          + " FROM run RETURNING run_id";

  private final StoreConfig config;
  private final Db db;
  private final Leases leases;

  RunWrites(StoreConfig config, Db db, Leases leases) {
    this.config = config;
    this.db = db;
    this.leases = leases;
  }

  /** Inserts {@code run} with lease 1 of this store's owner. */
  void create(RunRecord run) {
    insert(run, CREATE, "cannot create the run", true);
  }

  /** Inserts the queued {@code run}, owned by no one. */
  void enqueue(RunRecord run) {
    insert(run, ENQUEUE, "cannot enqueue the run", false);
  }

  private void insert(RunRecord run, String sql, String what, boolean owned) {
    String input = Codec.jsonText(run.input());
    String output = Codec.jsonText(run.output());
    boolean inserted =
        db.auto(
            PgStore.runSubject(run.runId()),
            what,
            c -> {
              long now = config.clock().millis();
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = Rows.bindRun(ps, 1, run, input, output);
                if (owned) {
                  ps.setString(i++, config.ownerId());
                  ps.setLong(i++, now);
                  ps.setLong(i++, leases.expiryFrom(now));
                }
                ps.setLong(i++, now);
                ps.setString(i, config.ownerId());
                try (ResultSet r = ps.executeQuery()) {
                  return r.next();
                }
              }
            });
    if (!inserted) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + config.name()
              + ": run '"
              + run.runId()
              + "' already exists (run ids must be unique)");
    }
  }

  void appendStep(PgRunLog l, StepRecord step, List<CallRecord> withStep) {
    EncodedStep s = Rows.encode(step);
    List<EncodedCall> calls = new ArrayList<>(withStep.size());
    for (CallRecord c : withStep) calls.add(Rows.encode(c));
    String subject = PgStore.runSubject(l.runId()) + ", step '" + step.stepKey() + "'";
    l.write(
        carried -> {
          Db.Op<Void> op =
              c -> {
                carry(c, l, carried, subject + ": cannot append the step");
                // the fencing check is the INSERT's condition: no row unless this log's lease is
                // current
                try (PreparedStatement ps = c.prepareStatement(INSERT_STEP_FENCED)) {
                  int i = Rows.bindStep(ps, 1, s);
                  leases.bind(ps, i, l);
                  if (ps.executeUpdate() != 1)
                    throw leases.lost(c, l, subject + ": cannot append the step");
                }
                if (calls.isEmpty()) return null;
                try (PreparedStatement ps = c.prepareStatement(INSERT_CALL)) {
                  for (EncodedCall e : calls) {
                    ps.setString(1, l.runId());
                    Rows.bindCall(ps, 2, e);
                    ps.addBatch();
                  }
                  ps.executeBatch();
                }
                return null;
              };
          return run(subject, "cannot append the step", calls.isEmpty() && carried.isEmpty(), op);
        });
  }

  /**
   * Runs {@code op} committed on its own if it is {@code oneStatement}, else in one transaction.
   */
  private <T> T run(String subject, String what, boolean oneStatement, Db.Op<T> op) {
    return oneStatement ? db.auto(subject, what, op) : db.tx(subject, what, op);
  }

  /**
   * Inserts the deferred steps {@code carried} of {@code l}, in their order, in the transaction of
   * the write that carries them and before it; each insert is fenced, so a log that lost its lease
   * writes none of them (and the write fails, rolled back).
   */
  private void carry(Connection c, PgRunLog l, List<EncodedStep> carried, String context)
      throws SQLException {
    if (carried.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(INSERT_STEP_FENCED)) {
      for (EncodedStep s : carried) {
        int i = Rows.bindStep(ps, 1, s);
        leases.bind(ps, i, l);
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        if (n != 1) throw leases.lost(c, l, context);
      }
    }
  }

  void appendCall(PgRunLog l, CallRecord call) {
    EncodedCall e = Rows.encode(call);
    String subject =
        PgStore.runSubject(l.runId()) + ", step '" + call.stepKey() + "', call " + call.index();
    l.write(
        carried ->
            run(
                subject,
                "cannot append the call",
                carried.isEmpty(),
                c -> {
                  carry(c, l, carried, subject + ": cannot append the call");
                  try (PreparedStatement ps = c.prepareStatement(INSERT_CALL_FENCED)) {
                    int i = Rows.bindCall(ps, 1, e);
                    leases.bind(ps, i, l);
                    if (ps.executeUpdate() != 1)
                      throw leases.lost(c, l, subject + ": cannot append the call");
                  }
                  return null;
                }));
  }

  void updateStatus(
      PgRunLog l,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    recordStatus(l, status, reason, stepKey, message, output, false);
  }

  private static void bindStatus(
      PreparedStatement ps,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      String output,
      long nowNanos)
      throws SQLException {
    ps.setString(1, status.name());
    Rows.setNullable(ps, 2, reason == null ? null : reason.name());
    Rows.setNullable(ps, 3, stepKey);
    Rows.setNullable(ps, 4, message);
    ps.setString(5, output);
    ps.setLong(6, nowNanos);
  }

  /**
   * Records the final status of {@code l}'s execution and releases its lease in one statement (in
   * one transaction with its deferred steps, if any), fenced by the lease.
   *
   * @throws dev.agentrt.core.RunOwnedException if the lease was taken over; nothing is written
   */
  void finish(
      PgRunLog l,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    recordStatus(l, status, reason, stepKey, message, output, true);
  }

  /**
   * Records the status after {@code l}'s deferred steps; with {@code release}, also releases the
   * lease and records that release, in the same statement.
   */
  private void recordStatus(
      PgRunLog l,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      boolean release) {
    String out = Codec.jsonText(output);
    long now = Codec.nanos(config.clock().instant());
    String subject = PgStore.runSubject(l.runId());
    String what = "cannot record status " + status;
    l.write(
        carried ->
            run(
                subject,
                what,
                carried.isEmpty(),
                c -> {
                  carry(c, l, carried, subject + ": " + what);
                  try (PreparedStatement ps =
                      c.prepareStatement(release ? FINISH : UPDATE_STATUS)) {
                    bindStatus(ps, status, reason, stepKey, message, out, now);
                    int i = leases.bind(ps, 7, l);
                    boolean written;
                    if (release) {
                      ps.setLong(i++, config.clock().millis());
                      ps.setString(i, config.ownerId());
                      try (ResultSet r = ps.executeQuery()) {
                        written = r.next();
                      }
                    } else {
                      written = ps.executeUpdate() == 1;
                    }
                    if (!written) throw leases.lost(c, l, subject + ": " + what);
                  }
                  return null;
                }));
  }

  /**
   * Releases {@code l}'s lease, writing its deferred steps first in the same transaction; a failure
   * is logged, not thrown (the lease expires; the run's next owner redoes the deferred steps).
   */
  void release(PgRunLog l) {
    l.write(
        carried -> {
          if (carried.isEmpty()) {
            leases.release(l.runId(), l.leaseVersion);
            return null;
          }
          String subject = PgStore.runSubject(l.runId());
          try {
            db.tx(
                subject,
                "cannot write its deferred steps and release the run's lease",
                c -> {
                  carry(c, l, carried, subject + ": cannot write its deferred steps");
                  return leases.release(c, l.runId(), l.leaseVersion);
                });
          } catch (RunOwnedException e) {
            log.warn(
                "checkpoint store {}: run '{}': {} deferred step(s) not written: another owner took"
                    + " the run over, and redoes them ({})",
                config.name(),
                l.runId(),
                carried.size(),
                e.getMessage());
          } catch (CheckpointStoreException e) {
            log.warn(
                "checkpoint store {}: run '{}': {} deferred step(s) could not be written and the"
                    + " lease not released; the lease expires on its own, and the run's next owner"
                    + " redoes the steps",
                config.name(),
                l.runId(),
                carried.size(),
                e);
          }
          return null;
        });
  }
}
