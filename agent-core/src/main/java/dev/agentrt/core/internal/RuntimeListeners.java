package dev.agentrt.core.internal;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runtime's listener: those given to the builder, then those added while it runs ({@code
 * AgentRuntime.addListener}), each delivered to in order and isolated from the others' exceptions.
 */
public final class RuntimeListeners implements RunListener {
  private final RunListener built;
  private final CopyOnWriteArrayList<RunListener> added = new CopyOnWriteArrayList<>();

  public RuntimeListeners(RunListener built) {
    this.built = built;
  }

  /** Adds {@code listener}; the returned action removes it (once; later calls do nothing). */
  public Runnable add(RunListener listener) {
    RunListener entry = new Entry(listener);
    added.add(entry);
    return () -> added.remove(entry);
  }

  /** Whether any listener would receive an event (engines skip building events otherwise). */
  public boolean active() {
    return built != RunListener.NOOP || !added.isEmpty();
  }

  @Override
  public void onEvent(RunEvent event) {
    RunListener.deliver(built, event);
    for (RunListener l : added) RunListener.deliver(l, event);
  }

  /** A distinct wrapper (identity equality), so the same listener added twice is removed once. */
  private static final class Entry implements RunListener {
    private final RunListener listener;

    Entry(RunListener listener) {
      this.listener = listener;
    }

    @Override
    public void onEvent(RunEvent event) {
      RunListener.deliver(listener, event);
    }
  }
}
