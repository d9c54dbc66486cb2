package dev.agentrt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.internal.Json;
import dev.agentrt.core.internal.StatePath;
import java.io.IOException;
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
 * @param state the run's state where it stopped, as nodes saw it: {@code input}, each node's latest
 *     output under its id, {@code $loops} and {@code $resume}; for a run that waits, what a resume
 *     continues from (the outputs inside a branch or split that has not merged are in its steps)
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
    JsonNode state,
    List<StepResult> steps,
    Instant startedAt,
    Duration duration,
    BudgetUsage usage) {

  /** Converts outputs to Java types; fields a type does not declare are ignored. */
  private static final ObjectMapper TYPED =
      Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public RunResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(state, "state");
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

  /**
   * The output as an instance of {@code type} (a record, a bean, a {@code Map}, ...), converted by
   * Jackson: {@code Review review = result.outputAs(Review.class)}. Fields of the output the type
   * does not declare are ignored.
   *
   * @throws IllegalStateException if the run did not complete (it has no output)
   * @throws IllegalArgumentException if the output does not convert (the message says where)
   * @since 0.1
   */
  public <T> T outputAs(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return convert(TYPED.constructType(type));
  }

  /**
   * The output as an instance of a generic type: {@code outputAs(new TypeReference<List<Finding>>()
   * {})}.
   *
   * @throws IllegalStateException if the run did not complete (it has no output)
   * @throws IllegalArgumentException if the output does not convert (the message says where)
   * @since 0.1
   */
  public <T> T outputAs(TypeReference<T> type) {
    Objects.requireNonNull(type, "type");
    return convert(TYPED.getTypeFactory().constructType(type));
  }

  private JsonNode completedOutput() {
    if (status != RunStatus.COMPLETED)
      throw new IllegalStateException(
          "run "
              + runId
              + " has no output: it is "
              + status
              + (reason == null
                  ? ""
                  : " (" + reason + (message == null ? "" : ": " + message) + ")"));
    return output;
  }

  private <T> T convert(JavaType type) {
    JsonNode out = completedOutput();
    try {
      return TYPED.readValue(TYPED.treeAsTokens(out), type);
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      String where = "";
      if (e instanceof JsonMappingException jme) {
        StringBuilder path = new StringBuilder();
        for (var ref : jme.getPath()) {
          if (ref.getFieldName() != null)
            path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
          else if (ref.getIndex() >= 0) path.append('[').append(ref.getIndex()).append(']');
        }
        if (path.length() > 0) where = " at " + path;
      }
      throw new IllegalArgumentException(
          "the output of run "
              + runId
              + " does not convert to "
              + type.toCanonical()
              + where
              + ": "
              + detail,
          e);
    }
  }

  /** The step with the given key, if the run has one. */
  public Optional<StepResult> step(String key) {
    for (StepResult s : steps) {
      if (s.key().equals(key)) return Optional.of(s);
    }
    return Optional.empty();
  }
}
