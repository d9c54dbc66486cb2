package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.BudgetLimits;
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
import java.util.PriorityQueue;
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

  /**
   * A run kept compactly: the fields of its {@link RunRecord} (times as numbers instead of {@code
   * Instant}s), its steps and calls; {@link #run()} builds the record when it is read. Guarded by
   * the store's lock.
   */
  private static final class Entry {
    final String runId;
    final String workflowId;
    final String manifestHash;
    final String engineVersion;
    final JsonNode input;
    final @Nullable Extras extras;
    final long createdSeconds;
    final int createdNano;
    RunStatus status;
    @Nullable FailureReason reason;
    @Nullable String stepKey;
    @Nullable String message;
    JsonNode output;
    long updatedSeconds;
    int updatedNano;
    // steps as Rows (or StepRecords a Row cannot hold exactly); calls made only when there are any
    final ArrayList<Object> steps = new ArrayList<>(4);
    @Nullable List<CallRecord> allCalls;
    boolean owned;

    Entry(RunRecord run) {
      this.runId = run.runId();
      this.workflowId = run.workflowId();
      this.manifestHash = run.manifestHash();
      this.engineVersion = run.engineVersion();
      this.input = run.input();
      this.extras = Extras.of(run);
      this.createdSeconds = run.createdAt().getEpochSecond();
      this.createdNano = run.createdAt().getNano();
      this.status = run.status();
      this.reason = run.reason();
      this.stepKey = run.stepKey();
      this.message = run.message();
      this.output = run.output();
      updated(run.updatedAt());
    }

    RunRecord run() {
      return new RunRecord(
          runId,
          workflowId,
          manifestHash,
          engineVersion,
          input,
          status,
          reason,
          stepKey,
          message,
          output,
          Instant.ofEpochSecond(createdSeconds, createdNano),
          Instant.ofEpochSecond(updatedSeconds, updatedNano),
          extras == null ? Map.of() : extras.labels,
          extras == null ? null : extras.budget,
          extras == null ? null : extras.deadline,
          extras == null ? 0 : extras.priority,
          extras == null ? null : extras.parentRunId,
          extras == null ? null : extras.forkedFromStep);
    }

    int priority() {
      return extras == null ? 0 : extras.priority;
    }

    void updated(Instant at) {
      updatedSeconds = at.getEpochSecond();
      updatedNano = at.getNano();
    }

    void addCall(CallRecord c) {
      if (allCalls == null) allCalls = new ArrayList<>(2);
      allCalls.add(c);
    }

    List<StepRecord> stepRecords() {
      List<StepRecord> out = new ArrayList<>(steps.size());
      for (Object o : steps) out.add(o instanceof Row r ? r.toRecord(runId) : (StepRecord) o);
      return out;
    }
  }

  /** What few runs have: the caller's options and the run's lineage; null when none. */
  private record Extras(
      Map<String, String> labels,
      @Nullable BudgetLimits budget,
      @Nullable Instant deadline,
      int priority,
      @Nullable String parentRunId,
      @Nullable String forkedFromStep) {
    static @Nullable Extras of(RunRecord r) {
      if (r.labels().isEmpty()
          && r.budget() == null
          && r.deadline() == null
          && r.priority() == 0
          && r.parentRunId() == null
          && r.forkedFromStep() == null) {
        return null;
      }
      return new Extras(
          r.labels(), r.budget(), r.deadline(), r.priority(), r.parentRunId(), r.forkedFromStep());
    }
  }

  /** A queued run's place: higher priority first, then first come first served. */
  private record Ticket(Entry entry, int priority, long seq) {}

  private static final Comparator<Ticket> QUEUE_ORDER =
      Comparator.comparingInt((Ticket t) -> -t.priority()).thenComparingLong(Ticket::seq);

  /** Queued runs in claim order; a ticket whose run is no longer queued is skipped and dropped. */
  private final PriorityQueue<Ticket> queue = new PriorityQueue<>(QUEUE_ORDER);

  private long enqueued;

  /**
   * A step kept compactly: its start (milliseconds), attempts and usage (one hop or nothing) packed
   * in one number, its duration in nanoseconds, without the run id; read back as the same {@link
   * StepRecord}. A step with other usage keeps it in a {@link UsageRow}.
   */
  private static class Row {
    private static final long MILLIS = (1L << 44) - 1; // up to the year 2527
    private static final int ATTEMPTS_SHIFT = 44;
    private static final int USAGE_SHIFT = 52;
    private static final long ONE_HOP_BIT = 1L << USAGE_SHIFT;

    final String stepKey;
    final String nodeId;
    final StepStatus status;
    final JsonNode output;
    final @Nullable String error;
    final long packed;
    final long durationNanos;

    Row(StepRecord s, long packed) {
      this.stepKey = s.stepKey();
      this.nodeId = s.nodeId();
      this.status = s.status();
      this.output = s.output();
      this.error = s.error();
      this.packed = packed;
      this.durationNanos = s.duration().toNanos();
    }

    /** The row of {@code s}, or {@code s} itself if a row cannot hold it exactly. */
    static Object of(StepRecord s) {
      Instant at = s.startedAt();
      Duration d = s.duration();
      long millis = at.getEpochSecond() * 1000 + at.getNano() / 1_000_000;
      if (at.getNano() % 1_000_000 != 0
          || at.getEpochSecond() < 0
          || at.getEpochSecond() > MILLIS / 1000 - 1
          || s.attempts() < 0
          || s.attempts() > 255
          || d.isNegative()
          || d.getSeconds() > Long.MAX_VALUE / 1_000_000_000L - 1) {
        return s;
      }
      long packed = millis | ((long) s.attempts() << ATTEMPTS_SHIFT);
      BudgetUsage u = s.usage();
      if (u.equals(ONE_HOP)) return new Row(s, packed | ONE_HOP_BIT);
      if (u.equals(BudgetUsage.ZERO)) return new Row(s, packed);
      return new UsageRow(s, packed, u);
    }

    BudgetUsage usage() {
      return (packed & ONE_HOP_BIT) != 0 ? ONE_HOP : BudgetUsage.ZERO;
    }

    StepRecord toRecord(String runId) {
      return new StepRecord(
          runId,
          stepKey,
          nodeId,
          (int) ((packed >>> ATTEMPTS_SHIFT) & 0xFF),
          status,
          output,
          error,
          Instant.ofEpochMilli(packed & MILLIS),
          durationNanos == 0 ? Duration.ZERO : Duration.ofNanos(durationNanos),
          usage());
    }
  }

  /** A {@link Row} with usage other than one hop or nothing (an agent step's tokens and cost). */
  private static final class UsageRow extends Row {
    final BudgetUsage usage;

    UsageRow(StepRecord s, long packed, BudgetUsage usage) {
      super(s, packed);
      this.usage = usage;
    }

    @Override
    BudgetUsage usage() {
      return usage;
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
      if (!e.owned && e.status.isTerminal()) it.remove();
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
  public boolean hasQueue() {
    return true;
  }

  @Override
  public synchronized void enqueue(RunRecord run) {
    if (run.status() != RunStatus.QUEUED) {
      throw new IllegalArgumentException(
          "run '" + run.runId() + "' is " + run.status() + "; only a QUEUED run can be enqueued");
    }
    if (runs.containsKey(run.runId())) {
      throw new CheckpointStoreException("run '" + run.runId() + "' already exists");
    }
    Entry e = new Entry(run);
    runs.put(run.runId(), e);
    queue.add(new Ticket(e, e.priority(), enqueued++));
    evict();
  }

  @Override
  public synchronized Optional<RunLog> claim(String runId) {
    Entry e = runs.get(runId);
    if (e == null || e.owned || e.status != RunStatus.QUEUED) return Optional.empty();
    return Optional.of(start(e));
  }

  @Override
  public synchronized Optional<RunLog> claimNext() {
    for (Ticket t; (t = queue.poll()) != null; ) {
      Entry e = t.entry();
      if (!e.owned && e.status == RunStatus.QUEUED && runs.get(e.runId) == e) {
        return Optional.of(start(e));
      }
    }
    for (Entry e : runs.values()) {
      if (!e.owned && e.status == RunStatus.RUNNING) {
        e.owned = true;
        return Optional.of(new Log(e));
      }
    }
    return Optional.empty();
  }

  /** Marks a queued run running and owned; the caller holds the store's lock. */
  private Log start(Entry e) {
    e.status = RunStatus.RUNNING;
    e.updated(clock.instant());
    e.owned = true;
    return new Log(e);
  }

  @Override
  public synchronized Optional<RunRecord> find(String runId) {
    Entry e = runs.get(runId);
    return e == null ? Optional.empty() : Optional.of(e.run());
  }

  @Override
  public synchronized List<RunRecord> list(RunQuery query) {
    List<RunRecord> all =
        runs.values().stream().map(Entry::run).filter(query::matches).collect(Collectors.toList());
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
  public synchronized boolean delete(String runId) {
    Entry e = runs.get(runId);
    if (e == null) return false;
    if (e.owned) {
      throw new CheckpointStoreException(
          "run '" + runId + "' cannot be deleted: it is executing in this JVM");
    }
    runs.remove(runId);
    return true;
  }

  @Override
  public synchronized int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    if (keepLast != null && keepLast < 0) {
      throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    }
    if (keepLast == null && maxAge == null) return 0;
    List<Entry> newestFirst = new ArrayList<>(runs.values());
    newestFirst.sort(
        Comparator.comparingLong((Entry e) -> e.createdSeconds)
            .thenComparingInt(e -> e.createdNano)
            .thenComparing(e -> e.runId)
            .reversed());
    Instant cutoff = maxAge == null ? null : clock.instant().minus(maxAge);
    int deleted = 0;
    for (int i = 0; i < newestFirst.size(); i++) {
      Entry e = newestFirst.get(i);
      if (e.owned || !e.status.isTerminal()) continue;
      boolean beyond = keepLast != null && i >= keepLast;
      boolean old =
          cutoff != null && Instant.ofEpochSecond(e.updatedSeconds, e.updatedNano).isBefore(cutoff);
      if (beyond || old) {
        runs.remove(e.runId);
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public void close() {}

  private final class Log implements RunLog {
    private final Entry entry;
    private final RunRecord opened;
    private final List<StepRecord> steps;
    private final Map<String, List<CallRecord>> calls;
    private boolean closed; // guarded by the store's lock

    Log(Entry entry) {
      this.entry = entry;
      this.opened = entry.run();
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
        record(status, reason, stepKey, message, output);
      }
    }

    /** Records the status and releases the run under one hold of the store's lock. */
    @Override
    public void finish(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {
      synchronized (InMemoryCheckpointStore.this) {
        try {
          record(status, reason, stepKey, message, output);
        } finally {
          close();
        }
      }
    }

    private void record(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {
      entry.status = status;
      entry.reason = reason;
      entry.stepKey = stepKey;
      entry.message = message;
      entry.output = output;
      entry.updated(clock.instant());
    }

    @Override
    public void close() {
      synchronized (InMemoryCheckpointStore.this) {
        if (closed) return;
        closed = true;
        entry.owned = false;
        entry.steps.trimToSize();
        evict();
      }
    }
  }
}
