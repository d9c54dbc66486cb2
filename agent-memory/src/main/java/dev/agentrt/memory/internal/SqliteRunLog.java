package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.DeferredSteps;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run, holding the run's lease (version {@link #leaseVersion}). Every write
 * is conditional on that lease, in the statement that makes it. Thread-safe.
 *
 * <p>Steps appended with {@link #appendDeferrable} wait here, encoded, until the log's next write,
 * which inserts them in its transaction, before its own rows ({@link DeferredSteps}).
 */
public final class SqliteRunLog implements RunLog {
  final String runId;

  /** The run's {@code run_key}: how its rows refer to it. */
  final long runKey;

  /** The run's creation time in nanoseconds: steps store their start relative to it. */
  final long createdNs;

  final long leaseVersion;

  /**
   * Whether the taking of this log's lease is in {@code run_events} (an open or a claim): its
   * release is recorded too. A creator's lease is not, so neither is its release.
   */
  final boolean leaseRecorded;

  private final SqliteStore store;
  private final RunRecord run;
  private final List<StepRecord> steps;
  private final long callSeqAtOpen;
  private final Map<String, List<CallRecord>> calls = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private final DeferredSteps<RunWrites.EncodedStep> deferred = new DeferredSteps<>();

  SqliteRunLog(
      SqliteStore store,
      RunRecord run,
      List<StepRecord> steps,
      long runKey,
      long leaseVersion,
      boolean leaseRecorded,
      long callSeqAtOpen) {
    this.store = store;
    this.run = run;
    this.runId = run.runId();
    this.runKey = runKey;
    this.createdNs = Codec.nanos(run.createdAt());
    this.steps = List.copyOf(steps);
    this.leaseVersion = leaseVersion;
    this.leaseRecorded = leaseRecorded;
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
    deferred.add(store.writes().encode(step));
  }

  /** Runs {@code w}, giving it the deferred steps to insert first ({@link DeferredSteps#write}). */
  void write(Consumer<List<RunWrites.EncodedStep>> w) {
    deferred.write(
        carried -> {
          w.accept(carried);
          return null;
        });
  }

  @Override
  public void appendCall(CallRecord call) {
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
    store.writes().updateStatus(this, status, reason, stepKey, message, output, false);
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
      store.writes().updateStatus(this, status, reason, stepKey, message, output, true);
      finished = true;
    } finally {
      // fenced: nothing if taken over; the deferred steps a refused output left held go with it
      if (!finished) write(carried -> store.release(this, carried));
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
    store.forget(this);
    write(carried -> store.release(this, carried));
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
