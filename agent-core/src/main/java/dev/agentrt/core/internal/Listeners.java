package dev.agentrt.core.internal;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;

/** Delivers events to listeners by type, never letting a listener's exception escape. */
public final class Listeners {
  private Listeners() {}

  /** Calls the method of {@code listener} that matches {@code event}'s type. Never throws. */
  public static void deliver(RunListener listener, RunEvent event) {
    RunListener.deliver(listener, event);
  }
}
