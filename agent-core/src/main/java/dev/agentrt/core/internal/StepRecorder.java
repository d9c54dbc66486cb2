package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.StepRecord;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's steps to its log: completed and failed steps, the steps it waits at, and what
 * happens when a write fails (the run stops at once).
 */
final class StepRecorder {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

  private final RunExecution run;
  private final String runId;
  private final Tracing tracing;

  StepRecorder(RunExecution run) {
    this.run = run;
    this.runId = run.runId;
    this.tracing = run.tracing;
  }

  boolean record(
      String key,
      CNode node,
      int attempts,
      StepStatus status,
      JsonNode output,
      @Nullable String error,
      long startedMillis,
      long t0,
      BudgetUsage usage) {
    return record(key, node, attempts, status, output, error, startedMillis, t0, usage, List.of());
  }

  /**
   * Appends the step to the log; false if it could not be checkpointed (the run is then stopping,
   * and the step must not be reported as completed: it is not in the log).
   */
  boolean record(
      String key,
      CNode node,
      int attempts,
      StepStatus status,
      JsonNode output,
      @Nullable String error,
      long startedMillis,
      long t0,
      BudgetUsage usage,
      List<CallRecord> withStep) {
    return append(
        key, node, attempts, status, output, error, startedMillis, t0, usage, withStep, false);
  }

  /**
   * Appends the completed step of a node that runs no executor (a start or an exit) as deferrable
   * ({@link dev.agentrt.core.spi.RunLog#appendDeferrable}): the store may commit it with the run's
   * next write, as losing it costs nothing: a resumed run redoes it from the log's state. False if
   * it could not be checkpointed (the run is then stopping).
   */
  boolean recordRoleOnly(String key, CNode node, JsonNode output, long startedMillis, long t0) {
    return append(
        key,
        node,
        1,
        StepStatus.COMPLETED,
        output,
        null,
        startedMillis,
        t0,
        StepContext.ONE_HOP,
        List.of(),
        true);
  }

  private boolean append(
      String key,
      CNode node,
      int attempts,
      StepStatus status,
      JsonNode output,
      @Nullable String error,
      long startedMillis,
      long t0,
      BudgetUsage usage,
      List<CallRecord> withStep,
      boolean deferrable) {
    if (!run.recording) return true;
    Span span = tracing.enabled ? tracing.startCheckpoint(Span.current(), key) : null;
    try {
      // the step's own spend, with the run's active time so far: a resumed run continues its
      // max_duration
      BudgetUsage spent = usage.withElapsed(Duration.ofMillis(run.budget.elapsedMillis()));
      StepRecord step =
          new StepRecord(
              runId,
              key,
              node.id,
              attempts,
              status,
              output,
              error,
              Instant.ofEpochMilli(startedMillis),
              Duration.ofNanos(System.nanoTime() - t0),
              spent);
      if (deferrable) run.runLog.appendDeferrable(step);
      else run.runLog.appendStep(step, withStep);
      return true;
    } catch (CheckpointStoreException e) {
      Tracing.fail(span, e.getMessage(), e);
      checkpointFailed(key, e);
      return false;
    } finally {
      Tracing.end(span);
    }
  }

  /**
   * Records that the run waits at step {@code key} (once, however often it is reached). The marker
   * is deferrable: it commits at the latest with the run's {@code WAITING} status, and a run that
   * crashed before that reaches the same wait again when it resumes.
   */
  void appendSuspended(CNode node, String key) {
    if (run.suspendedKeys.contains(key)) return;
    long now = run.clock.millis();
    try {
      run.runLog.appendDeferrable(
          new StepRecord(
              runId,
              key,
              node.id,
              0,
              StepStatus.SUSPENDED,
              NullNode.getInstance(),
              null,
              Instant.ofEpochMilli(now),
              Duration.ZERO,
              BudgetUsage.ZERO));
    } catch (CheckpointStoreException e) {
      checkpointFailed(key, e);
    }
  }

  /**
   * Records that the step the run waits at, before an {@code interrupt: before} node, was resumed
   * without input (resume input JSON null), as {@link Engine#resume} does for a given input.
   *
   * @return false if the log refused it (the run stops)
   */
  boolean appendResumed(CNode node, String key) {
    try {
      run.runLog.appendStep(
          new StepRecord(
              runId,
              key,
              node.id,
              0,
              StepStatus.RESUMED,
              NullNode.getInstance(),
              null,
              run.clock.instant(),
              Duration.ZERO,
              BudgetUsage.ZERO),
          List.of());
    } catch (CheckpointStoreException e) {
      checkpointFailed(key, e);
      return false;
    }
    run.resumeInputs.put(key, NullNode.getInstance());
    run.suspendedKeys.remove(key);
    return true;
  }

  /** The events of a step whose node runs nothing (start, merge, exit). */
  void roleOnlyEvents(String key, CNode node, long t0) {
    if (!run.listening()) return;
    Instant now = run.clock.instant();
    run.emit(new RunEvent.StepStarted(runId, now, key, node.id));
    run.emit(
        new RunEvent.StepCompleted(
            runId, now, key, node.id, 1, Duration.ofNanos(System.nanoTime() - t0)));
  }

  /**
   * A step could not be checkpointed (the store failed, or another engine took the run over): the
   * run stops at once, as continuing would execute steps that can never be recorded. A store
   * failure fails the run; a takeover ({@link RunOwnedException}) does not: the result says {@code
   * RUNNING} with {@link FailureReason#OWNERSHIP_LOST}, and no status is recorded.
   */
  void checkpointFailed(String key, CheckpointStoreException e) {
    run.checkpointBroken = true;
    if (e instanceof RunOwnedException owned) {
      // not a failure of the run: it continues under its new owner, which must not find FAILED
      // an expected outcome of a pause past the lease, not an error: one line, the trace at debug
      log.warn(
          "run {}: step '{}' could not be checkpointed: {} took the run over; this engine stops executing it",
          runId,
          key,
          owned.owner());
      log.debug("run {}: step '{}': the refused write", runId, key, e);
      run.requestStop(
          new RunExecution.Stop(
              RunStatus.RUNNING,
              FailureReason.OWNERSHIP_LOST,
              "this engine lost "
                  + "ownership of run '"
                  + runId
                  + "' before step '"
                  + key
                  + "' could be checkpointed; the run continues "
                  + "under owner "
                  + owned.owner()
                  + " ("
                  + e.getMessage()
                  + ")",
              key));
      return;
    }
    log.warn("run {}: step '{}' could not be checkpointed; stopping the run", runId, key, e);
    run.requestStop(
        new RunExecution.Stop(
            RunStatus.FAILED,
            FailureReason.NODE_FAILED,
            "step '" + key + "' could not be checkpointed: " + e.getMessage(),
            key));
  }
}
