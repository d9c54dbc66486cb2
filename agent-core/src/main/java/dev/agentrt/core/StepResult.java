package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a finished (or suspended) run, as reported in {@link RunResult#steps()}.
 *
 * @param key the deterministic step key, such as {@code review#1} or {@code fan#0[a]/a#0}
 * @param nodeId the id of the node the step executed
 * @param status how the step ended
 * @param attempts how many times the node was executed for this step (1 without retries)
 * @param startedAt when the first attempt started
 * @param duration how long the step took, retries included
 * @param output the node's output ({@code null} JSON for role-only nodes)
 * @param error the error message of a failed step, otherwise {@code null}
 * @since 0.1
 */
public record StepResult(
    String key,
    String nodeId,
    StepStatus status,
    int attempts,
    Instant startedAt,
    Duration duration,
    JsonNode output,
    @Nullable String error) {

  public StepResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(output, "output");
  }
}
