package dev.agentrt.core.spi;

import dev.agentrt.core.event.RunEvent;
import java.util.List;

/**
 * Receives the events of runs. Each method has a no-op default that forwards to {@link
 * #onEvent(RunEvent)}, so a listener overrides either the events it cares about or {@code onEvent}
 * for all of them.
 *
 * <p>Called on the thread that runs the step, synchronously: keep it fast. Called concurrently from
 * parallel branches and concurrent runs. Anything a listener throws is logged and ignored; it never
 * affects the run.
 *
 * @since 0.1
 */
public interface RunListener {

  /** A listener that does nothing. */
  RunListener NOOP = new RunListener() {};

  /** A listener that forwards every event to each of {@code listeners}, in order. */
  static RunListener composite(List<RunListener> listeners) {
    List<RunListener> copy = List.copyOf(listeners);
    if (copy.isEmpty()) return NOOP;
    if (copy.size() == 1) return copy.get(0);
    return new RunListener() {
      @Override
      public void onEvent(RunEvent event) {
        for (RunListener l : copy) {
          ListenerDispatch.deliver(l, event);
        }
      }
    };
  }

  /**
   * Calls the method of {@code listener} that matches {@code event}'s type ({@link #stepStarted},
   * {@link #llmToken}, ..., else {@link #onEvent}), as the engine does. Never throws: what the
   * listener throws is logged and ignored (a {@link VirtualMachineError} is rethrown).
   *
   * @since 0.1
   */
  static void deliver(RunListener listener, RunEvent event) {
    ListenerDispatch.deliver(listener, event);
  }

  /** Receives every event the other methods do not override. */
  default void onEvent(RunEvent event) {}

  default void runStarted(RunEvent.RunStarted event) {
    onEvent(event);
  }

  default void runCompleted(RunEvent.RunCompleted event) {
    onEvent(event);
  }

  default void runFailed(RunEvent.RunFailed event) {
    onEvent(event);
  }

  default void runSuspended(RunEvent.RunSuspended event) {
    onEvent(event);
  }

  default void stepStarted(RunEvent.StepStarted event) {
    onEvent(event);
  }

  default void stepCompleted(RunEvent.StepCompleted event) {
    onEvent(event);
  }

  default void stepFailed(RunEvent.StepFailed event) {
    onEvent(event);
  }

  default void stepRetried(RunEvent.StepRetried event) {
    onEvent(event);
  }

  default void routeTaken(RunEvent.RouteTaken event) {
    onEvent(event);
  }

  default void loopIteration(RunEvent.LoopIteration event) {
    onEvent(event);
  }

  default void llmCalled(RunEvent.LlmCalled event) {
    onEvent(event);
  }

  default void toolCalled(RunEvent.ToolCalled event) {
    onEvent(event);
  }

  /** A streamed piece of an LLM answer; see {@link RunEvent.LlmToken}. */
  default void llmToken(RunEvent.LlmToken event) {
    onEvent(event);
  }
}
