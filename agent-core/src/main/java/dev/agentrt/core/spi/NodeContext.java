package dev.agentrt.core.spi;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything an executor may use while it runs one step. Implemented by the engine; it gains
 * methods as the runtime grows, so do not implement it.
 *
 * @since 0.1
 */
public interface NodeContext {

  /** The run's id. */
  String runId();

  /** The id of the workflow the node belongs to (a sub-workflow's own id inside one). */
  String workflowId();

  /** The step's deterministic key, stable across resume; use it to derive idempotency keys. */
  String stepKey();

  /**
   * A key for the step's side effects, {@code <run id>/<step key>} ({@link
   * IdempotencyKeys#ofStep}): the same in every attempt and after a resume, so a receiver can
   * de-duplicate an effect that is issued again.
   */
  default String idempotencyKey() {
    return IdempotencyKeys.ofStep(runId(), stepKey());
  }

  /** The attempt number, 1 for the first. */
  int attempt();

  /** The runtime's clock. */
  Clock clock();

  /** The run's budget, to check and charge before and after LLM and tool calls. */
  Budget budget();

  /** Records made inside this step (LLM and tool calls), reused when a run resumes. */
  CallJournal calls();

  /** Everything loaded from the configuration directory. */
  Manifests manifests();

  /** Whether the run was asked to stop (cancelled, or out of budget). */
  boolean isCancelled();

  /**
   * Waits {@code duration} on the runtime's {@link Sleeper} (real time unless the runtime was given
   * another one), for example between retries of a call. Returns early when the run is cancelled or
   * out of budget, or the thread is interrupted; the interrupt status is then kept.
   *
   * @param duration how long to wait
   * @return true if the whole duration passed and the run may go on, false if it was cancelled or
   *     the thread interrupted meanwhile
   * @since 0.1
   */
  boolean pause(Duration duration);

  /**
   * Says that an embedded router recommended the edge whose {@code when:} is {@code when} for this
   * decision step: the engine adds {@code agentrt.router.recommended} and {@code
   * agentrt.router.followed} (whether the edge taken has that {@code when:}) to the step's {@code
   * agentrt.route} span. Ignored on steps that are not decisions. The last call of an attempt wins.
   *
   * @param when the recommended edge's {@code when:} value
   * @since 0.1
   */
  default void routeRecommended(String when) {}

  /** Delivers an event to the run's listeners (streamed tokens, for example). Never throws. */
  void publish(RunEvent event);
}
