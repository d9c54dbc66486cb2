package dev.agentrt.core.spi;

import java.util.Objects;

/**
 * The one place that builds the keys a run gives its side effects (ARCHITECTURE §4). Every key is
 * derived from the run id and the step's deterministic key only, so it is the same in every attempt
 * and after a resume, and a receiver can de-duplicate an effect that is issued again:
 *
 * <ul>
 *   <li>a step's key, {@code <run id>/<step key>} ({@link NodeContext#idempotencyKey()}), for an
 *       effect the step makes itself;
 *   <li>a call's key, {@code <run id>:<step key>:<call index>} ({@code ToolCall.idempotencyKey},
 *       sent by {@code http} as {@code Idempotency-Key}), for the {@code index}-th tool call of the
 *       step (LLM and tool calls share one index sequence per step);
 *   <li>a call's id, {@code <step key>:<call index>}, unique within the run (the key without the
 *       run id), for messages and span attributes.
 * </ul>
 *
 * <p>The two separators are those of the first release; receivers may have stored keys, so the
 * formats do not change.
 *
 * @since 0.1
 */
public final class IdempotencyKeys {
  private IdempotencyKeys() {}

  /** {@code <run id>/<step key>}: the key of a step's own side effects. */
  public static String ofStep(String runId, String stepKey) {
    return Objects.requireNonNull(runId, "runId")
        + "/"
        + Objects.requireNonNull(stepKey, "stepKey");
  }

  /**
   * {@code <run id>:<step key>:<call index>}: the key of the {@code callIndex}-th call of a step.
   *
   * @throws IllegalArgumentException if {@code callIndex} is negative
   */
  public static String ofCall(String runId, String stepKey, int callIndex) {
    return Objects.requireNonNull(runId, "runId") + ":" + callId(stepKey, callIndex);
  }

  /**
   * {@code <step key>:<call index>}: the id of a call, unique within its run.
   *
   * @throws IllegalArgumentException if {@code callIndex} is negative
   */
  public static String callId(String stepKey, int callIndex) {
    if (callIndex < 0)
      throw new IllegalArgumentException("callIndex must be >= 0, got " + callIndex);
    return Objects.requireNonNull(stepKey, "stepKey") + ":" + callIndex;
  }
}
