package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A skeleton {@link RunLog} for a store that holds a lease on the run and defers the steps of
 * {@link #appendDeferrable}, as the database stores do: the run and step log as opened, the calls
 * of a step read once, the checks every method makes (a closed log, a record of another run), the
 * deferred steps ({@link #withDeferred}), and the end of the log: {@link #finish} and {@link
 * #close} give the run up once, whatever happens. A subclass writes ({@link #writeStep}, {@link
 * #writeCall}, {@link #writeStatus}) and releases ({@link #release}). Thread-safe if the subclass's
 * writes are.
 *
 * @param <S> a deferred step, as the store encoded it
 * @since 0.1
 */
public abstract class AbstractRunLog<S> implements RunLog {
  private final String runId;

  private final RunRecord run;
  private final List<StepRecord> steps;
  private final Map<String, List<CallRecord>> calls = new ConcurrentHashMap<>();
  private final DeferredSteps<S> deferred = new DeferredSteps<>();
  private volatile boolean closed;

  /**
   * @param run the run as it was when the log was created or opened
   * @param steps its step log at that moment, in append order
   */
  protected AbstractRunLog(RunRecord run, List<StepRecord> steps) {
    this.run = run;
    this.runId = run.runId();
    this.steps = List.copyOf(steps);
  }

  /** The store, as messages name it ({@code checkpoint store NAME: ...}). */
  protected abstract String storeName();

  /** The in-step records of {@code stepKey} as they were when this log was opened, by index. */
  protected abstract List<CallRecord> readCalls(String stepKey);

  /**
   * {@code step} encoded to be held until the next write.
   *
   * @throws IllegalArgumentException if the store cannot hold a value of the step
   */
  protected abstract S encode(StepRecord step);

  /** Appends {@code step} with its calls, in a write that carries the deferred steps. */
  protected abstract void writeStep(StepRecord step, List<CallRecord> withStep);

  /** Appends {@code call}, in a write that carries the deferred steps. */
  protected abstract void writeCall(CallRecord call);

  /**
   * Records the status, in a write that carries the deferred steps; with {@code release}, gives up
   * the lease in the same statement ({@link #finish}).
   */
  protected abstract void writeStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      boolean release);

  /** Stops renewing the lease: the log is being given up. */
  protected abstract void stopRenewing();

  /**
   * Gives up the lease (unless it was taken over) with the deferred steps, in a write that carries
   * them; logs a failure rather than throwing it (the lease expires).
   */
  protected abstract void release();

  /**
   * Runs a write, giving it the deferred steps to write first, in its transaction ({@link
   * DeferredSteps#write}). Encode what the store may refuse before calling this.
   */
  protected final <T> T withDeferred(Function<List<S>, T> write) {
    return deferred.write(write);
  }

  /** The run's id. */
  public final String runId() {
    return runId;
  }

  /** Whether {@link #finish} or {@link #close} was called. */
  protected final boolean isClosed() {
    return closed;
  }

  @Override
  public final RunRecord run() {
    return run;
  }

  @Override
  public final List<StepRecord> steps() {
    return steps;
  }

  @Override
  public final List<CallRecord> calls(String stepKey) {
    Objects.requireNonNull(stepKey, "stepKey");
    return calls.computeIfAbsent(stepKey, this::readCalls);
  }

  @Override
  public final void appendStep(StepRecord step, List<CallRecord> withStep) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(withStep, "withStep");
    // the messages are built only on failure: this is called for every step
    if (closed) checkOpen("append step '" + step.stepKey() + "'");
    if (!runId.equals(step.runId())) checkRun(step.runId(), "step '" + step.stepKey() + "'");
    for (CallRecord c : withStep) {
      if (!runId.equals(c.runId()))
        checkRun(c.runId(), "call record of step '" + c.stepKey() + "'");
    }
    writeStep(step, withStep);
  }

  /**
   * Holds {@code step} until the log's next write, which writes it in its transaction (or until
   * {@link #close}, which writes it with the release). Encoded now: a value the store cannot hold
   * is refused here.
   */
  @Override
  public final void appendDeferrable(StepRecord step) {
    Objects.requireNonNull(step, "step");
    if (closed) checkOpen("append step '" + step.stepKey() + "'");
    if (!runId.equals(step.runId())) checkRun(step.runId(), "step '" + step.stepKey() + "'");
    deferred.add(encode(step));
  }

  @Override
  public final void appendCall(CallRecord call) {
    Objects.requireNonNull(call, "call");
    if (closed) checkOpen("append a call of step '" + call.stepKey() + "'");
    if (!runId.equals(call.runId()))
      checkRun(call.runId(), "call record of step '" + call.stepKey() + "'");
    writeCall(call);
  }

  @Override
  public final void updateStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    checkOpen("record status " + status);
    writeStatus(status, reason, stepKey, message, output, false);
  }

  /**
   * Records the status and gives up the lease in one statement, in one transaction with the
   * deferred steps. The log is closed whatever happens; if that write failed for another reason
   * than a takeover (a store failure, an output the store cannot hold), the lease is released as
   * {@link #close} does.
   */
  @Override
  public final void finish(
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
    stopRenewing(); // as close does: no renewal races the release
    boolean finished = false;
    try {
      writeStatus(status, reason, stepKey, message, output, true);
      finished = true;
    } finally {
      if (!finished) release(); // fenced: releases nothing if the run was taken over
    }
  }

  /** Releases the run's lease (with the deferred steps), unless it was taken over. Idempotent. */
  @Override
  public final void close() {
    if (closed) return;
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    stopRenewing();
    release();
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + storeName()
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
}
