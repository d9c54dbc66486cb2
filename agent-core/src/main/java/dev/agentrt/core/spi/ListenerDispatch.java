package dev.agentrt.core.spi;

import dev.agentrt.core.event.RunEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners by type, never letting a listener's exception escape. */
final class ListenerDispatch {
  private static final Logger log = LoggerFactory.getLogger(ListenerDispatch.class);

  private ListenerDispatch() {}

  /** Calls the method of {@code listener} that matches {@code event}'s type. Never throws. */
  static void deliver(RunListener listener, RunEvent event) {
    try {
      if (event instanceof RunEvent.StepStarted e) listener.stepStarted(e);
      else if (event instanceof RunEvent.StepCompleted e) listener.stepCompleted(e);
      else if (event instanceof RunEvent.RouteTaken e) listener.routeTaken(e);
      else if (event instanceof RunEvent.LoopIteration e) listener.loopIteration(e);
      else if (event instanceof RunEvent.StepFailed e) listener.stepFailed(e);
      else if (event instanceof RunEvent.StepRetried e) listener.stepRetried(e);
      else if (event instanceof RunEvent.RunStarted e) listener.runStarted(e);
      else if (event instanceof RunEvent.RunCompleted e) listener.runCompleted(e);
      else if (event instanceof RunEvent.RunFailed e) listener.runFailed(e);
      else if (event instanceof RunEvent.RunSuspended e) listener.runSuspended(e);
      else if (event instanceof RunEvent.ToolCalled e) listener.toolCalled(e);
      else if (event instanceof RunEvent.LlmCalled e) listener.llmCalled(e);
      else if (event instanceof RunEvent.LlmToken e) listener.llmToken(e);
      else listener.onEvent(event);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vme) throw vme;
      log.warn(
          "RunListener {} threw on {} of run {}; ignored",
          listener.getClass().getName(),
          event.getClass().getSimpleName(),
          event.runId(),
          e);
    }
  }
}
