package dev.agentrt.store.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.DeferredSteps;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.store.postgres.internal.Rows.EncodedStep;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run, holding the run's lease (version {@link #leaseVersion}). Every write
 * is conditional on that lease, in the statement that makes it. Thread-safe: each write borrows its
 * own connection.
 *
 * <p>Steps appended with {@link #appendDeferrable} wait here, encoded, until the log's next write,
 * which inserts them in its transaction, before its own rows ({@link DeferredSteps}).
 */
public final class PgRunLog implements RunLog {
  final String runId;
  final long leaseVersion;
  private final PgStore store;
  private final RunRecord run;
  private final List<StepRecord> steps;
  private final long callSeqAtOpen;
  private final Map<String, List<CallRecord>> calls = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private final DeferredSteps<EncodedStep> deferred = new DeferredSteps<>();

  /** A write of this log, given the deferred steps it must insert first (often none). */
  interface Write<T> {
    T apply(List<EncodedStep> carried);
  }

  PgRunLog(
      PgStore store, RunRecord run, List<StepRecord> steps, long leaseVersion, long callSeqAtOpen) {
    this.store = store;
    this.run = run;
    this.runId = run.runId();
    this.steps = List.copyOf(steps);
    this.leaseVersion = leaseVersion;
    this.callSeqAtOpen = callSeqAtOpen;
  }

  @Override
  public RunRecord run() {
    return run;
  }

  @Override
  public List<StepRecord> steps() {
    return steps;
  }

  @Override
  public List<CallRecord> calls(String stepKey) {
    Objects.requireNonNull(stepKey, "stepKey");
    return calls.computeIfAbsent(stepKey, k -> store.calls(runId, k, callSeqAtOpen));
  }

  @Override
  public void appendStep(StepRecord step, List<CallRecord> withStep) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(withStep, "withStep");
    // the messages are built only on failure: this is called for every step
    if (closed) checkOpen("append step '" + step.stepKey() + "'");
    if (!runId.equals(step.runId())) checkRun(step.runId(), "step '" + step.stepKey() + "'");
    for (CallRecord c : withStep) {
      if (!runId.equals(c.runId()))
        checkRun(c.runId(), "call record of step '" + c.stepKey() + "'");
    }
    store.writes().appendStep(this, step, withStep);
  }

  /**
   * Holds {@code step} until the log's next write, which inserts it in its transaction (or until
   * {@link #close}, which inserts it with the release). Encoded now: a value the store cannot hold
   * is refused here.
   */
  @Override
  public void appendDeferrable(StepRecord step) {
    Objects.requireNonNull(step, "step");
    if (closed) checkOpen("append step '" + step.stepKey() + "'");
    if (!runId.equals(step.runId())) checkRun(step.runId(), "step '" + step.stepKey() + "'");
    deferred.add(Rows.encode(step));
  }

  /** Runs {@code w}, giving it the deferred steps to insert first ({@link DeferredSteps#write}). */
  <T> T write(Write<T> w) {
    return deferred.write(w::apply);
  }

  @Override
  public void appendCall(CallRecord call) {
    Objects.requireNonNull(call, "call");
    if (closed) checkOpen("append a call of step '" + call.stepKey() + "'");
    if (!runId.equals(call.runId()))
      checkRun(call.runId(), "call record of step '" + call.stepKey() + "'");
    store.writes().appendCall(this, call);
  }

  @Override
  public void updateStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    checkOpen("record status " + status);
    store.writes().updateStatus(this, status, reason, stepKey, message, output);
  }

  /**
   * Records the status and releases the lease in one fenced statement, in one transaction with the
   * deferred steps. The log is closed whatever happens; if the statement failed for another reason
   * than a takeover, the lease is released as {@link #close} does.
   */
  @Override
  public void finish(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    synchronized (this) {
      checkOpen("record status " + status);
      closed = true;
    }
    store.forget(this); // as close does: no renewal races the release
    boolean finished = false;
    try {
      store.writes().finish(this, status, reason, stepKey, message, output);
      finished = true;
    } finally {
      if (!finished) store.close(this); // fenced: releases nothing if the run was taken over
    }
  }

  /** Releases the run's lease (with the deferred steps), unless it was taken over. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    store.close(this);
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + store.name()
              + ": run '"
              + runId
              + "': cannot "
              + what
              + ": this run log is closed");
    }
  }

  private void checkRun(String other, String what) {
    if (!runId.equals(other)) {
      throw new IllegalArgumentException(
          "run '" + runId + "': " + what + " belongs to run '" + other + "'");
    }
  }

  @Override
  public String toString() {
    return "PgRunLog{run=" + runId + ", lease=" + leaseVersion + (closed ? ", closed" : "") + "}";
  }
}
