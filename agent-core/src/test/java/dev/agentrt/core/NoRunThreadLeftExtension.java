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
  private static final String RUN_CLASS = "dev.agentrt.core.internal.RunExecution";

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> busy = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      for (StackTraceElement frame : e.getValue()) {
        // the max_duration timer may still be returning from requestStop, which only interrupts
        if (frame.getClassName().startsWith(RUN_CLASS) && !frame.getMethodName().equals("requestStop")
            && !frame.getMethodName().startsWith("lambda$execute")) {
          busy.add(e.getKey().getName() + " at " + e.getValue()[0]);
          break;
        }
      }
    }
    if (!busy.isEmpty()) {
      throw new AssertionError("threads still executing a run after " + context.getDisplayName() + ": " + busy);
    }
  }
}
