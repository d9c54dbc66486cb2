package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.Experimental;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a checkpoint store keeps about a run besides its step log.
 *
 * @param runId the run's id
 * @param workflowId the workflow it runs
 * @param manifestHash SHA-256 of the workflow (and the agents it uses) when the run started
 * @param engineVersion the agentrt version that started it
 * @param input the run's input
 * @param status the run's last known status
 * @param reason why it is not completed, if so
 * @param stepKey the step concerned by {@code reason}
 * @param message a readable explanation of {@code reason}
 * @param output the run's output once completed, JSON {@code null} before
 * @param createdAt when the run started
 * @param updatedAt when the status last changed
 * @param labels the labels the caller gave the run ({@code RunOptions.label}), empty if none
 * @param budget the caller's limits for this run, over the workflow's; null if none
 * @param deadline the instant the caller's deadline stops the run at; null if none
 * @param priority the run's place in the queue ({@code RunOptions.priority}): higher first, first
 *     come first served within one priority; 0 by default
 * @param parentRunId the run this one was forked from; null if none
 * @param forkedFromStep the step of {@code parentRunId} this run re-executed from; null if none
 * @since 0.1
 */
@Experimental
public record RunRecord(
    String runId,
    String workflowId,
    String manifestHash,
    String engineVersion,
    JsonNode input,
    RunStatus status,
    @Nullable FailureReason reason,
    @Nullable String stepKey,
    @Nullable String message,
    JsonNode output,
    Instant createdAt,
    Instant updatedAt,
    Map<String, String> labels,
    @Nullable BudgetLimits budget,
    @Nullable Instant deadline,
    int priority,
    @Nullable String parentRunId,
    @Nullable String forkedFromStep) {

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(manifestHash, "manifestHash");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    labels = labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** A run of priority 0 and no lineage. */
  public RunRecord(
      String runId,
      String workflowId,
      String manifestHash,
      String engineVersion,
      JsonNode input,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      Instant createdAt,
      Instant updatedAt,
      Map<String, String> labels,
      @Nullable BudgetLimits budget,
      @Nullable Instant deadline) {
    this(
        runId,
        workflowId,
        manifestHash,
        engineVersion,
        input,
        status,
        reason,
        stepKey,
        message,
        output,
        createdAt,
        updatedAt,
        labels,
        budget,
        deadline,
        0,
        null,
        null);
  }

  /** A run without labels, budget or deadline of its caller. */
  public RunRecord(
      String runId,
      String workflowId,
      String manifestHash,
      String engineVersion,
      JsonNode input,
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      Instant createdAt,
      Instant updatedAt) {
    this(
        runId,
        workflowId,
        manifestHash,
        engineVersion,
        input,
        status,
        reason,
        stepKey,
        message,
        output,
        createdAt,
        updatedAt,
        Map.of(),
        null,
        null);
  }

  /** This record with a new status and the fields that go with it. */
  public RunRecord withStatus(
      RunStatus newStatus,
      @Nullable FailureReason newReason,
      @Nullable String newStepKey,
      @Nullable String newMessage,
      JsonNode newOutput,
      Instant at) {
    return new RunRecord(
        runId,
        workflowId,
        manifestHash,
        engineVersion,
        input,
        newStatus,
        newReason,
        newStepKey,
        newMessage,
        newOutput,
        createdAt,
        at,
        labels,
        budget,
        deadline,
        priority,
        parentRunId,
        forkedFromStep);
  }
}
