package dev.agentrt.core.spi;

import dev.agentrt.core.Experimental;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run as a listing shows it: a {@link RunRecord} without its input, output and message, so
 * listing runs costs the same whatever their size ({@link CheckpointStore#summaries(RunQuery)}).
 *
 * @param runId the run's id
 * @param workflowId the workflow it runs
 * @param status the run's last known status
 * @param reason why it is not completed, if so
 * @param stepKey the step concerned by {@code reason}
 * @param createdAt when the run started
 * @param updatedAt when the status last changed
 * @param parentRunId the run this one was forked from; null if none (or if the store does not list
 *     it)
 * @param forkedFromStep the step of {@code parentRunId} this run re-executed from; null if none
 * @since 0.1
 */
@Experimental
public record RunSummary(
    String runId,
    String workflowId,
    RunStatus status,
    @Nullable FailureReason reason,
    @Nullable String stepKey,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String parentRunId,
    @Nullable String forkedFromStep) {

  public RunSummary {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A summary of a run that was not forked. */
  public RunSummary(
      String runId,
      String workflowId,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      Instant createdAt,
      Instant updatedAt) {
    this(runId, workflowId, status, reason, stepKey, createdAt, updatedAt, null, null);
  }

  /** The summary of a full record. */
  public static RunSummary of(RunRecord run) {
    return new RunSummary(
        run.runId(),
        run.workflowId(),
        run.status(),
        run.reason(),
        run.stepKey(),
        run.createdAt(),
        run.updatedAt(),
        run.parentRunId(),
        run.forkedFromStep());
  }
}
