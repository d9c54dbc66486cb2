package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.Experimental;
import dev.agentrt.core.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a run's append-only step log. A run's state is the fold of its step log.
 *
 * @param runId the run
 * @param stepKey the deterministic step key
 * @param nodeId the node executed
 * @param attempts attempts made ({@code 0} for a {@link StepStatus#RESUMED} entry)
 * @param status how the step ended
 * @param output the node's output; for {@link StepStatus#RESUMED}, the input given to resume
 * @param error the error message of a failed step
 * @param startedAt when the step started
 * @param duration how long it took
 * @param usage what this step spent (not the run's total), except {@code elapsed}: the run's active
 *     time when the step was recorded, so that a resumed run continues its {@code max_duration}
 * @since 0.1
 */
@Experimental
public record StepRecord(
    String runId,
    String stepKey,
    String nodeId,
    int attempts,
    StepStatus status,
    JsonNode output,
    @Nullable String error,
    Instant startedAt,
    Duration duration,
    BudgetUsage usage) {

  public StepRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stepKey, "stepKey");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(usage, "usage");
  }
}
