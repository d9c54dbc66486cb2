package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.internal.StatePath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a run: its status, why it stopped if it did not complete, its output, and its
 * steps in a deterministic order (the order a sequential execution would visit them, parallel
 * branches and split items in file and item order, whatever the thread timing was).
 *
 * @param runId the run's id
 * @param workflowId the id of the workflow that ran
 * @param status the run's status; {@link RunStatus#WAITING} for a suspended run; {@link
 *     RunStatus#RUNNING} with {@link FailureReason#OWNERSHIP_LOST} for a run another owner took
 *     over from this engine
 * @param reason why the run did not complete, {@code null} when it completed
 * @param stepKey the step concerned by {@code reason}, if any
 * @param message a readable explanation of {@code reason}, if any
 * @param output the run's result built by the exit node; JSON {@code null} if none was reached
 * @param steps every step, in deterministic order
 * @param startedAt when the run started
 * @param duration how long the run took
 * @param usage what the run spent of its budget
 * @since 0.1
 */
public record RunResult(
    String runId,
    String workflowId,
    RunStatus status,
    @Nullable FailureReason reason,
    @Nullable String stepKey,
    @Nullable String message,
    JsonNode output,
    List<StepResult> steps,
    Instant startedAt,
    Duration duration,
    BudgetUsage usage) {

  public RunResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    steps = List.copyOf(steps);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(usage, "usage");
  }

  /** Whether the run reached an exit node. */
  public boolean isCompleted() {
    return status == RunStatus.COMPLETED;
  }

  /** The reason as an {@code Optional}. */
  public Optional<FailureReason> failureReason() {
    return Optional.ofNullable(reason);
  }

  /**
   * The value at a dot-path of the output, with the syntax of templates: {@code review.verdict},
   * {@code items.0.name}; an empty path is the whole output.
   *
   * @return the value, or a {@link com.fasterxml.jackson.databind.node.MissingNode} if the output
   *     has nothing there
   * @throws IllegalArgumentException if the path is malformed (such as {@code a..b})
   * @since 0.1
   */
  public JsonNode outputAt(String path) {
    Objects.requireNonNull(path, "path");
    return path.isBlank() ? output : StatePath.parse(path).readRelative(output);
  }

  /** The step with the given key, if the run has one. */
  public Optional<StepResult> step(String key) {
    for (StepResult s : steps) {
      if (s.key().equals(key)) return Optional.of(s);
    }
    return Optional.empty();
  }
}
