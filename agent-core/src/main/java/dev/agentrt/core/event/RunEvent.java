package dev.agentrt.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.ToolFailureKind;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in a run. Events of one branch arrive in order; events of parallel
 * branches interleave as the threads run.
 *
 * @since 0.1
 */
public sealed interface RunEvent {

  /** The run the event belongs to. */
  String runId();

  /** When it happened, by the runtime's clock. */
  Instant time();

  /**
   * A run was put on the queue ({@code AgentRuntime.enqueue}, or a start that found no free slot):
   * it is stored as {@code QUEUED}, and {@code depth} runs wait in this runtime's queue with it.
   *
   * @since 0.1
   */
  record RunQueued(String runId, Instant time, String workflowId, int priority, int depth)
      implements RunEvent {}

  /**
   * A queued run left the queue to execute, after waiting {@code waited} (measured by this runtime
   * from when it queued or found the run).
   *
   * @since 0.1
   */
  record RunDequeued(String runId, Instant time, String workflowId, Duration waited)
      implements RunEvent {}

  /** A run started (or resumed). */
  record RunStarted(String runId, Instant time, String workflowId, boolean resumed)
      implements RunEvent {}

  /** A run reached an exit node. */
  record RunCompleted(
      String runId, Instant time, String workflowId, JsonNode output, Duration duration)
      implements RunEvent {}

  /**
   * A run stopped without completing: failed, cancelled, or out of budget; or, with status {@code
   * RUNNING} and reason {@code OWNERSHIP_LOST}, this engine stopped executing a run that another
   * owner took over and continues.
   */
  record RunFailed(
      String runId,
      Instant time,
      String workflowId,
      RunStatus status,
      FailureReason reason,
      @Nullable String stepKey,
      String message)
      implements RunEvent {}

  /** A run was suspended and waits for {@code resume}. */
  record RunSuspended(
      String runId,
      Instant time,
      String workflowId,
      String stepKey,
      FailureReason reason,
      String message)
      implements RunEvent {}

  /** A step started its first attempt. */
  record StepStarted(String runId, Instant time, String stepKey, String nodeId)
      implements RunEvent {}

  /** A step completed. */
  record StepCompleted(
      String runId, Instant time, String stepKey, String nodeId, int attempts, Duration duration)
      implements RunEvent {}

  /** A step failed after its last attempt. */
  record StepFailed(
      String runId, Instant time, String stepKey, String nodeId, int attempts, String message)
      implements RunEvent {}

  /** An attempt of a step failed and will be retried after {@code backoff}. */
  record StepRetried(
      String runId,
      Instant time,
      String stepKey,
      String nodeId,
      int failedAttempt,
      String message,
      Duration backoff)
      implements RunEvent {}

  /**
   * The router left a node through an edge.
   *
   * @param stepKey the step of the node left
   * @param edgeId the edge taken ({@code from->to} unless the edge has an {@code id:})
   * @param reason why: {@code next}, {@code when=<value>}, {@code default}, {@code loop}, {@code
   *     exhausted}, {@code $error}, {@code branch} or {@code split}
   */
  record RouteTaken(
      String runId,
      Instant time,
      String stepKey,
      String from,
      String to,
      String edgeId,
      String reason)
      implements RunEvent {}

  /** A bounded loop edge was taken; {@code iteration} counts from 1. */
  record LoopIteration(String runId, Instant time, String edgeId, int iteration, int max)
      implements RunEvent {}

  /**
   * A step called a tool (published by the executor that made the call, such as the {@code tool}
   * node executor of agent-tools). Carries no argument or result values, so it is safe to log and
   * export: arguments may hold secrets and results may be large.
   *
   * @param stepKey the step that made the call
   * @param tool the tool's name, as called
   * @param index the call's position within the step, from 0
   * @param failure why the call failed, or {@code null} if it succeeded
   * @param duration how long the call took, checks included
   * @since 0.1
   */
  record ToolCalled(
      String runId,
      Instant time,
      String stepKey,
      String tool,
      int index,
      @Nullable ToolFailureKind failure,
      Duration duration)
      implements RunEvent {

    /** Whether the call succeeded. */
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * An agent step made one LLM call (not sent again when a resumed run reuses a recorded call).
   * Carries no prompt or completion, so it is safe to export in any telemetry mode.
   *
   * @param stepKey the agent step
   * @param model the model's key in {@code config.yml} {@code models:}
   * @param index the call's position within the step, from 0
   * @param inputTokens input tokens the provider reported
   * @param outputTokens output tokens the provider reported
   * @param costUsd cost from the model's {@code pricing}
   * @param duration how long the call took
   * @since 0.1
   */
  record LlmCalled(
      String runId,
      Instant time,
      String stepKey,
      String model,
      int index,
      long inputTokens,
      long outputTokens,
      double costUsd,
      Duration duration)
      implements RunEvent {}

  /**
   * A piece of an LLM answer as the model streamed it, for agents with {@code stream: true}. The
   * pieces of one call arrive in order, before that call's {@link LlmCalled}, on the thread that
   * runs the step; concatenated they are the answer's text. A resumed run that reuses a recorded
   * call streams nothing for it. Carries completion text: treat it as the answer itself when
   * logging or exporting.
   *
   * @param stepKey the agent step
   * @param model the model's key in {@code config.yml} {@code models:}
   * @param index the LLM call's position within the step, from 0 (as in {@link LlmCalled#index()})
   * @param text the piece of text, never empty
   * @since 0.1
   */
  record LlmToken(String runId, Instant time, String stepKey, String model, int index, String text)
      implements RunEvent {}
}
