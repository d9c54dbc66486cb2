package dev.agentrt.testkit.internal;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which test runtime made which run, so that assertions on a {@code RunResult} can read the run's
 * LLM and tool calls from the runtime's store. Runtimes are held weakly: a closed, unreachable
 * runtime's runs are forgotten.
 */
public final class RunCalls {
  private static final Map<String, WeakReference<AgentRuntime>> RUNS = new ConcurrentHashMap<>();

  private RunCalls() {}

  /**
   * A listener that remembers each run of the runtime it is later {@link Tracker#bind bound} to.
   */
  public static Tracker tracker() {
    return new Tracker();
  }

  /** The calls recorded for {@code runId} by the test runtime that ran it, if one did. */
  public static Optional<List<CallRecord>> calls(String runId) {
    WeakReference<AgentRuntime> ref = RUNS.get(runId);
    AgentRuntime rt = ref == null ? null : ref.get();
    return rt == null ? Optional.empty() : Optional.of(rt.checkpointStore().calls(runId));
  }

  /** Registers the runs of one runtime. */
  public static final class Tracker implements RunListener {
    private final AtomicReference<WeakReference<AgentRuntime>> runtime = new AtomicReference<>();

    private Tracker() {}

    /** Binds the listener to the runtime it listens to. */
    public void bind(AgentRuntime rt) {
      runtime.set(new WeakReference<>(rt));
      RUNS.values().removeIf(r -> r.get() == null);
    }

    @Override
    public void onEvent(RunEvent event) {
      WeakReference<AgentRuntime> ref = runtime.get();
      if (event instanceof RunEvent.RunStarted s && ref != null) RUNS.put(s.runId(), ref);
    }
  }
}
