package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  /** The usage of most steps: one hop, nothing else (kept once, not once per step). */
  private static final BudgetUsage ONE_HOP = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO);

  private static final class Entry {
    volatile RunRecord run;
    // steps as Rows (or StepRecords a Row cannot hold exactly); calls made only when there are any
    final ArrayList<Object> steps = new ArrayList<>(4);
    @Nullable List<CallRecord> allCalls;
    boolean owned;

    Entry(RunRecord run) {
      this.run = run;
    }

    void addCall(CallRecord c) {
      if (allCalls == null) allCalls = new ArrayList<>(2);
      allCalls.add(c);
    }

    List<StepRecord> stepRecords() {
      List<StepRecord> out = new ArrayList<>(steps.size());
      String runId = run.runId();
      for (Object o : steps) out.add(o instanceof Row r ? r.toRecord(runId) : (StepRecord) o);
      return out;
    }
  }

  /**
   * A step kept compactly: times as numbers instead of {@code Instant}/{@code Duration} objects,
   * without the run id, and a one-hop usage shared; read back as the same {@link StepRecord}.
   */
  private static final class Row {
    final String stepKey;
    final String nodeId;
    final StepStatus status;
    final JsonNode output;
    final @Nullable String error;
    final BudgetUsage usage;
    final int attempts;
    final long startedMillis;
    final long durationNanos;

    Row(StepRecord s, BudgetUsage usage) {
      this.stepKey = s.stepKey();
      this.nodeId = s.nodeId();
      this.status = s.status();
      this.output = s.output();
      this.error = s.error();
      this.usage = usage;
      this.attempts = s.attempts();
      this.startedMillis = s.startedAt().toEpochMilli();
      this.durationNanos = s.duration().toNanos();
    }

    /** The row of {@code s}, or {@code s} itself if a row cannot hold it exactly. */
    static Object of(StepRecord s) {
      Instant at = s.startedAt();
      Duration d = s.duration();
      if (at.getNano() % 1_000_000 != 0
          || at.getEpochSecond() > Long.MAX_VALUE / 1000 - 1
          || at.getEpochSecond() < Long.MIN_VALUE / 1000 + 1
          || d.isNegative()
          || d.getSeconds() > Long.MAX_VALUE / 1_000_000_000L - 1) {
        return s;
      }
      BudgetUsage u = s.usage();
      if (u.equals(ONE_HOP)) u = ONE_HOP;
      else if (u.equals(BudgetUsage.ZERO)) u = BudgetUsage.ZERO;
      return new Row(s, u);
    }

    StepRecord toRecord(String runId) {
      return new StepRecord(
          runId,
          stepKey,
          nodeId,
          attempts,
          status,
          output,
          error,
          Instant.ofEpochMilli(startedMillis),
          durationNanos == 0 ? Duration.ZERO : Duration.ofNanos(durationNanos),
          usage);
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
    return e == null ? List.of() : List.copyOf(e.stepRecords());
  }

  @Override
  public synchronized List<CallRecord> calls(String runId) {
    Entry e = runs.get(runId);
    return e == null || e.allCalls == null ? List.of() : List.copyOf(e.allCalls);
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
      this.steps = List.copyOf(entry.stepRecords());
      Map<String, List<CallRecord>> c = new HashMap<>();
      if (entry.allCalls != null) {
        for (CallRecord call : entry.allCalls)
          c.computeIfAbsent(call.stepKey(), k -> new ArrayList<>()).add(call);
      }
      c.replaceAll((k, v) -> List.copyOf(v));
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
        entry.steps.add(Row.of(step));
        for (CallRecord c : withStep) entry.addCall(c);
      }
    }

    @Override
    public void appendCall(CallRecord call) {
      synchronized (InMemoryCheckpointStore.this) {
        entry.addCall(call);
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
        entry.steps.trimToSize();
        evict();
      }
    }
  }
}
