package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run, holding the run's lease (version {@link #leaseVersion}). Every write
 * is conditional on that lease, in the statement that makes it. Thread-safe.
 */
public final class SqliteRunLog implements RunLog {
  final String runId;

  /** The run's {@code run_key}: how its rows refer to it. */
  final long runKey;

  /** The run's creation time in nanoseconds: steps store their start relative to it. */
  final long createdNs;

  final long leaseVersion;
  private final SqliteStore store;
  private final RunRecord run;
  private final List<StepRecord> steps;
  private final long callSeqAtOpen;
  private final Map<String, List<CallRecord>> calls = new ConcurrentHashMap<>();
  private volatile boolean closed;

  SqliteRunLog(
      SqliteStore store,
      RunRecord run,
      List<StepRecord> steps,
      long runKey,
      long leaseVersion,
      long callSeqAtOpen) {
    this.store = store;
    this.run = run;
    this.runId = run.runId();
    this.runKey = runKey;
    this.createdNs = Codec.nanos(run.createdAt());
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
    return calls.computeIfAbsent(stepKey, k -> store.calls(this, k, callSeqAtOpen));
  }

  @Override
  public void appendStep(StepRecord step, List<CallRecord> withStep) {
    // the messages are built only on failure: this is called for every step
    if (closed) checkOpen("append step '" + step.stepKey() + "'");
    if (!runId.equals(step.runId())) checkRun(step.runId(), "step '" + step.stepKey() + "'");
    for (CallRecord c : withStep) {
      if (!runId.equals(c.runId()))
        checkRun(c.runId(), "call record of step '" + c.stepKey() + "'");
    }
    store.appendStep(this, step, withStep);
  }

  @Override
  public void appendCall(CallRecord call) {
    if (closed) checkOpen("append a call of step '" + call.stepKey() + "'");
    if (!runId.equals(call.runId()))
      checkRun(call.runId(), "call record of step '" + call.stepKey() + "'");
    store.appendCall(this, call);
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
    store.updateStatus(this, status, reason, stepKey, message, output);
  }

  /** Releases the run's lease, unless it was taken over. Idempotent. */
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
              + store.path()
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
    return "SqliteRunLog{run="
        + runId
        + ", lease="
        + leaseVersion
        + (closed ? ", closed" : "")
        + "}";
  }
}
