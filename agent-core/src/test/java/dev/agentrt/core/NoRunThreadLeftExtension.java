package dev.agentrt.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test if, when it ends, any thread is still executing part of a run (a frame of the
 * engine's run walker on its stack): every run must have stopped all its threads by the time its
 * result is returned. Registered for every agent-core test by extension auto-detection.
 */
public final class NoRunThreadLeftExtension implements AfterEachCallback {
  /** The classes of the engine's run walker: the run, its step runner and its fork/join. */
  private static final List<String> RUN_CLASSES =
      List.of(
          "dev.agentrt.core.internal.RunExecution",
          "dev.agentrt.core.internal.StepRunner",
          "dev.agentrt.core.internal.ForkJoin");

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> busy = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      for (StackTraceElement frame : e.getValue()) {
        // the max_duration deadline may still be returning from requestStop, which only interrupts
        if (isRunClass(frame.getClassName())
            && !frame.getMethodName().equals("requestStop")
            && !frame.getMethodName().startsWith("lambda$startDeadline")) {
          busy.add(e.getKey().getName() + " at " + e.getValue()[0]);
          break;
        }
      }
    }
    if (!busy.isEmpty()) {
      throw new AssertionError(
          "threads still executing a run after " + context.getDisplayName() + ": " + busy);
    }
  }

  private static boolean isRunClass(String name) {
    // a lambda's generated class only forwards to its method, which is checked by its own frame
    if (name.contains("$$Lambda")) return false;
    for (String c : RUN_CLASSES) {
      if (name.startsWith(c)) return true;
    }
    return false;
  }
}
