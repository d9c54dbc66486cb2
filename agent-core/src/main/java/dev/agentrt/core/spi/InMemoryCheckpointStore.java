package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Keeps runs in memory, with the same ownership rule as a durable store: one open log per run.
 * Finished runs beyond {@code maxRuns} are dropped, oldest first.
 */
final class InMemoryCheckpointStore implements CheckpointStore {
  private final int maxRuns;
  private final Clock clock;
  private final Map<String, Entry> runs = new LinkedHashMap<>();

  private static final class Entry {
    volatile RunRecord run;
    final List<StepRecord> steps = new ArrayList<>();
    final Map<String, List<CallRecord>> calls = new HashMap<>();
    final List<CallRecord> allCalls = new ArrayList<>();
    boolean owned;

    Entry(RunRecord run) {
      this.run = run;
    }
  }

  InMemoryCheckpointStore(int maxRuns) {
    this(maxRuns, Clock.systemUTC());
  }

  /** A store whose status updates are stamped with {@code clock}. */
  InMemoryCheckpointStore(int maxRuns, Clock clock) {
    if (maxRuns < 1) throw new IllegalArgumentException("maxRuns must be >= 1, was " + maxRuns);
    this.maxRuns = maxRuns;
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized RunLog create(RunRecord run) {
    if (runs.containsKey(run.runId())) {
      throw new CheckpointStoreException("run '" + run.runId() + "' already exists");
    }
    Entry e = new Entry(run);
    e.owned = true;
    runs.put(run.runId(), e);
    evict();
    return new Log(e);
  }

  private void evict() {
    if (runs.size() <= maxRuns) return;
    for (Iterator<Entry> it = runs.values().iterator(); it.hasNext() && runs.size() > maxRuns; ) {
      Entry e = it.next();
      if (!e.owned && e.run.status().isTerminal()) it.remove();
    }
  }

  @Override
  public synchronized RunLog open(String runId) {
    Entry e = runs.get(runId);
    if (e == null)
      throw new RunNotFoundException(runId, "no run '" + runId + "' in the checkpoint store");
    if (e.owned) {
      throw new CheckpointStoreException(
          "run '" + runId + "' is owned by another engine in this JVM (it is still executing)");
    }
    e.owned = true;
    return new Log(e);
  }

  @Override
  public synchronized Optional<RunRecord> find(String runId) {
    Entry e = runs.get(runId);
    return e == null ? Optional.empty() : Optional.of(e.run);
  }

  @Override
  public synchronized List<RunRecord> list(RunQuery query) {
    List<RunRecord> all =
        runs.values().stream().map(e -> e.run).filter(query::matches).collect(Collectors.toList());
    all.sort(Comparator.comparing(RunRecord::createdAt).reversed());
    return all.size() > query.limit() ? new ArrayList<>(all.subList(0, query.limit())) : all;
  }

  @Override
  public synchronized List<StepRecord> steps(String runId) {
    Entry e = runs.get(runId);
    return e == null ? List.of() : List.copyOf(e.steps);
  }

  @Override
  public synchronized List<CallRecord> calls(String runId) {
    Entry e = runs.get(runId);
    return e == null ? List.of() : List.copyOf(e.allCalls);
  }

  @Override
  public void close() {}

  private final class Log implements RunLog {
    private final Entry entry;
    private final RunRecord opened;
    private final List<StepRecord> steps;
    private final Map<String, List<CallRecord>> calls;

    Log(Entry entry) {
      this.entry = entry;
      this.opened = entry.run;
      this.steps = List.copyOf(entry.steps);
      Map<String, List<CallRecord>> c = new HashMap<>();
      entry.calls.forEach((k, v) -> c.put(k, List.copyOf(v)));
      this.calls = c;
    }

    @Override
    public RunRecord run() {
      return opened;
    }

    @Override
    public List<StepRecord> steps() {
      return steps;
    }

    @Override
    public List<CallRecord> calls(String stepKey) {
      return calls.getOrDefault(stepKey, List.of());
    }

    @Override
    public void appendStep(StepRecord step, List<CallRecord> withStep) {
      synchronized (InMemoryCheckpointStore.this) {
        entry.steps.add(step);
        for (CallRecord c : withStep) {
          entry.calls.computeIfAbsent(c.stepKey(), k -> new ArrayList<>()).add(c);
          entry.allCalls.add(c);
        }
      }
    }

    @Override
    public void appendCall(CallRecord call) {
      synchronized (InMemoryCheckpointStore.this) {
        entry.calls.computeIfAbsent(call.stepKey(), k -> new ArrayList<>()).add(call);
        entry.allCalls.add(call);
      }
    }

    @Override
    public void updateStatus(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {
      synchronized (InMemoryCheckpointStore.this) {
        entry.run = entry.run.withStatus(status, reason, stepKey, message, output, clock.instant());
      }
    }

    @Override
    public void close() {
      synchronized (InMemoryCheckpointStore.this) {
        entry.owned = false;
        evict();
      }
    }
  }
}
