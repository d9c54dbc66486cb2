package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.Sleeper;
import dev.agentrt.core.spi.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs workflows: the implementation behind {@code AgentRuntime}. Thread-safe. */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** The agentrt version recorded with every run. */
  public static final String VERSION = versionOf();

  final Manifests manifests;
  final RuntimeListeners listener;
  final Clock clock;

  /**
   * How the engine waits (retry backoffs, {@link dev.agentrt.core.spi.NodeContext#pause}, the
   * deadline).
   */
  final Sleeper sleeper;

  final boolean recording;
  final Tracing tracing;

  /**
   * Masks known secrets in everything the engine writes to the store (the store is an export too).
   */
  final Redactor masker;

  private final CheckpointStore store;
  private final Map<String, CompiledWorkflow> workflows = new HashMap<>();
  private final @Nullable ExecutorService givenThreads;
  private volatile @Nullable ExecutorService ownThreads;
  private volatile @Nullable ScheduledExecutorService timer;
  private final Supplier<String> ids;
  final Scheduler scheduler;

  public Engine(
      Manifests manifests,
      ManifestReader.Result loaded,
      Map<String, NodeFunction> functions,
      Map<String, NodeExecutor> executors,
      CheckpointStore store,
      RunListener listener,
      Clock clock,
      Sleeper sleeper,
      @Nullable ExecutorService threads,
      @Nullable Supplier<String> ids,
      io.opentelemetry.api.OpenTelemetry otel) {
    this.tracing = new Tracing(otel);
    this.manifests = manifests;
    this.masker = manifests.redactor();
    this.store = store;
    this.listener = new RuntimeListeners(listener);
    this.clock = clock;
    this.sleeper = sleeper;
    this.recording = store != CheckpointStore.none();
    this.givenThreads = threads;
    this.ids = ids != null ? ids : this::newRunId;
    this.scheduler = new Scheduler(this, manifests.config().scheduler(), otel);
    BudgetLimits defaults = BudgetLimits.from(manifests.config().budget());
    Map<String, NodeExecutor> kinds = NodeKinds.table(functions, executors);
    for (WorkflowSpec wf : manifests.workflows().values()) {
      workflows.put(
          wf.id(),
          new CompiledWorkflow(
              wf, manifests.hash(wf.id()), defaults, loaded.mergeOf(wf.id()), kinds));
    }
  }

  private static String versionOf() {
    String v = Engine.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  private String newRunId() {
    return Long.toString(clock.millis(), 36)
        + "-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  CompiledWorkflow compiled(String workflowId) {
    CompiledWorkflow wf = workflows.get(workflowId);
    if (wf == null) {
      throw new AgentrtException(
          "no workflow '"
              + workflowId
              + "'"
              + Suggest.didYouMean(workflowId, workflows.keySet())
              + " (known: "
              + String.join(", ", new java.util.TreeSet<>(workflows.keySet()))
              + ")");
    }
    return wf;
  }

  ExecutorService threads() {
    if (givenThreads != null) return givenThreads;
    ExecutorService t = ownThreads;
    if (t == null) {
      synchronized (this) {
        if (ownThreads == null) ownThreads = RunThreads.create();
        t = ownThreads;
      }
    }
    return t;
  }

  ScheduledExecutorService timer() {
    ScheduledExecutorService t = timer;
    if (t == null) {
      synchronized (this) {
        if (timer == null) timer = RunThreads.timer();
        t = timer;
      }
    }
    return t;
  }

  /** The runtime's listeners, to which more can be added while it runs. */
  public RuntimeListeners listeners() {
    return listener;
  }

  public CheckpointStore store() {
    return store;
  }

  /** The record of a new run of {@code workflowId}, its input checked; nothing is written. */
  private RunRecord prepare(String workflowId, JsonNode input, RunOptions options) {
    CompiledWorkflow wf = compiled(workflowId);
    InputLimits.check(wf.id, input);
    if (wf.inputSchema != null) wf.inputSchema.check(input);
    String runId = options.runId().orElseGet(ids);
    if (options.runId().isPresent()) {
      store
          .find(runId)
          .ifPresent(
              used -> {
                throw new IllegalArgumentException(
                    "run id '"
                        + runId
                        + "' is already used by a run of workflow '"
                        + used.workflowId()
                        + "' ("
                        + used.status()
                        + "); choose another id, or resume that run");
              });
    }
    Instant now = clock.instant();
    return new RunRecord(
        runId,
        wf.id,
        wf.hash,
        VERSION,
        input,
        RunStatus.RUNNING,
        null,
        null,
        null,
        NullNode.getInstance(),
        now,
        now,
        options.labels(),
        options.budget().orElse(null),
        options.deadline().orElse(null),
        options.priority(),
        null,
        null);
  }

  /** Creates {@code run} in the store, owned by the returned execution. */
  RunExecution begin(RunRecord run, RunListener own) {
    CompiledWorkflow wf = compiled(run.workflowId());
    RunExecution exec =
        new RunExecution(this, run.runId(), wf, run.input(), create(run), List.of());
    if (own != RunListener.NOOP) exec.listenWith(own);
    return exec;
  }

  /** Stores {@code run} as queued, through the engine's masking. */
  void storeQueued(RunRecord run) {
    store.enqueue(MaskingRunLog.mask(run, masker));
  }

  /**
   * The execution of a run claimed from the store's queue: a queued run starts from its first node,
   * a run whose owner died continues from its log. A run whose workflow is no longer defined here,
   * or changed since it started, is failed with a message saying so (it could never run).
   */
  RunExecution claimed(RunLog claimed, RunListener own) {
    RunLog log = MaskingRunLog.wrap(claimed, masker);
    try {
      RunRecord run = log.run();
      CompiledWorkflow wf = checkedWorkflow(run, false);
      RunExecution exec =
          new RunExecution(this, run.runId(), wf, run.input(), log, new ArrayList<>(log.steps()));
      if (own != RunListener.NOOP) exec.listenWith(own);
      return exec;
    } catch (AgentrtException e) {
      log.finish(
          RunStatus.FAILED,
          FailureReason.NODE_FAILED,
          null,
          e.getMessage(),
          NullNode.getInstance());
      throw e;
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * Delivers an event that belongs to no execution (yet) to the runtime's and the run's listeners.
   */
  void emit(RunEvent event, RunListener own) {
    if (listener.active()) Listeners.deliver(listener, event);
    if (own != RunListener.NOOP) Listeners.deliver(own, event);
  }

  /**
   * Applies {@code retention} to the store now and every {@code retention.every} in the background
   * (on the engine's timer, stopped with its threads). A store that cannot prune is reported once.
   */
  public void scheduleRetention(dev.agentrt.core.manifest.RetentionSpec retention) {
    if (retention.keepLast() == null && retention.maxAge() == null) return;
    long every = Math.max(1, retention.everyOrDefault().toMillis());
    timer()
        .scheduleWithFixedDelay(
            () -> prune(retention), 0, every, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private volatile boolean pruneUnsupported;

  private void prune(dev.agentrt.core.manifest.RetentionSpec retention) {
    if (pruneUnsupported) return;
    try {
      int n = store.prune(retention.keepLast(), retention.maxAge());
      if (n > 0) log.info("checkpoint retention deleted {} finished runs", n);
    } catch (UnsupportedOperationException e) {
      pruneUnsupported = true;
      log.warn("checkpoint.retention is set but {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("checkpoint retention failed; it is tried again later", e);
    }
  }

  /** The scheduler that admits this engine's runs. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Creates the run in the store through the engine's write path: every write to the run's log from
   * now on passes {@link MaskingRunLog}, so no store ever receives a known secret.
   */
  private RunLog create(RunRecord record) {
    return MaskingRunLog.wrap(store.create(MaskingRunLog.mask(record, masker)), masker);
  }

  public RunResult run(String workflowId, JsonNode input, RunOptions options) {
    RunRecord run = prepare(workflowId, input, options);
    scheduler.acquire(options.priority(), true);
    try {
      return begin(run, options.listener().orElse(RunListener.NOOP)).execute(false);
    } finally {
      scheduler.release();
    }
  }

  /**
   * Starts a run on a thread of the engine, or queues it when no slot is free ({@code
   * scheduler.max_concurrency}).
   */
  public RunHandle start(String workflowId, JsonNode input, RunOptions options) {
    RunRecord run = prepare(workflowId, input, options);
    RunListener own = options.listener().orElse(RunListener.NOOP);
    if (!scheduler.tryAcquire()) return scheduler.enqueue(run, own);
    RunExecution exec;
    CompletableFuture<RunResult> future = new CompletableFuture<>();
    try {
      exec = begin(run, own);
      threads()
          .execute(
              () -> {
                try {
                  future.complete(exec.execute(false));
                } catch (Throwable e) {
                  future.completeExceptionally(e);
                } finally {
                  Thread.interrupted();
                  scheduler.release();
                }
              });
    } catch (RuntimeException | Error e) {
      if (!future.isDone()) scheduler.release();
      throw e;
    }
    return new Handle(exec, future);
  }

  /** Stores a new run as queued and returns at once; it starts when a slot is free. */
  public RunHandle enqueue(String workflowId, JsonNode input, RunOptions options) {
    RunRecord run = prepare(workflowId, input, options);
    RunListener own = options.listener().orElse(RunListener.NOOP);
    return options.leftToWorkers()
        ? scheduler.leaveToWorkers(run, own)
        : scheduler.enqueue(run, own);
  }

  /**
   * Continues a run from its log. For a run waiting at an interrupt, {@code input} is given to
   * every step it waits at; a waiting run resumed with no input continues at the {@code interrupt:
   * before} steps it waits at (with JSON null) and waits again at the others.
   */
  public RunResult resume(String runId, @Nullable JsonNode input, boolean forceChangedWorkflow) {
    scheduler.acquire(0, true);
    try {
      return resumeAdmitted(runId, input, forceChangedWorkflow);
    } finally {
      scheduler.release();
    }
  }

  private RunResult resumeAdmitted(
      String runId, @Nullable JsonNode input, boolean forceChangedWorkflow) {
    store
        .find(runId)
        .ifPresent(
            r -> {
              if (r.status().isTerminal()) {
                throw new RunNotFoundException(
                    runId, "run '" + runId + "' is " + r.status() + " and cannot be resumed");
              }
              if (input != null) InputLimits.check(r.workflowId(), input);
            });
    RunLog log = MaskingRunLog.wrap(store.open(runId), masker);
    try {
      RunRecord run = log.run();
      if (run.status().isTerminal()) {
        throw new RunNotFoundException(
            runId, "run '" + runId + "' is " + run.status() + " and cannot be resumed");
      }
      CompiledWorkflow wf = checkedWorkflow(run, forceChangedWorkflow);
      List<StepRecord> history = new ArrayList<>(log.steps());
      if (run.status() == RunStatus.WAITING && input != null) {
        Set<String> waiting = new HashSet<>();
        for (StepRecord s : history) {
          if (s.status() == StepStatus.SUSPENDED) waiting.add(s.stepKey());
          if (s.status() == StepStatus.RESUMED) waiting.remove(s.stepKey());
        }
        Instant now = clock.instant();
        for (StepRecord s : List.copyOf(history)) {
          if (s.status() == StepStatus.SUSPENDED && waiting.remove(s.stepKey())) {
            StepRecord r =
                new StepRecord(
                    runId,
                    s.stepKey(),
                    s.nodeId(),
                    0,
                    StepStatus.RESUMED,
                    input,
                    null,
                    now,
                    Duration.ZERO,
                    BudgetUsage.ZERO);
            log.appendStep(r, List.of());
            history.add(r);
          }
        }
      }
      RunExecution exec = new RunExecution(this, runId, wf, run.input(), log, history);
      exec.resumedWithoutInput = run.status() == RunStatus.WAITING && input == null;
      return exec.execute(true);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * Re-walks a run from its log without executing anything: no executor, LLM or tool is called and
   * nothing is written. Yields the run's recorded steps and, for a completed run, its output.
   */
  public RunResult replay(String runId) {
    RunRecord run =
        store
            .find(runId)
            .orElseThrow(
                () ->
                    new RunNotFoundException(
                        runId, "no run '" + runId + "' in the checkpoint store"));
    CompiledWorkflow wf = checkedWorkflow(run, false);
    List<StepRecord> steps = store.steps(runId);
    return new RunExecution(this, runId, wf, run.input(), new ReadOnlyLog(run, steps), steps, true)
        .execute(true);
  }

  /**
   * Starts a new run that keeps the steps of {@code runId} before {@code stepKey} (in the
   * deterministic step order) and executes again from {@code stepKey} on.
   */
  public RunResult fork(String runId, String stepKey) {
    scheduler.acquire(0, true);
    try {
      return forkAdmitted(runId, stepKey);
    } finally {
      scheduler.release();
    }
  }

  private RunResult forkAdmitted(String runId, String stepKey) {
    RunResult original = replay(runId);
    int at = -1;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < original.steps().size(); i++) {
      keys.add(original.steps().get(i).key());
      if (original.steps().get(i).key().equals(stepKey)) at = i;
    }
    if (at < 0) {
      throw new RunNotFoundException(
          runId,
          "run '"
              + runId
              + "' has no step '"
              + stepKey
              + "'"
              + Suggest.didYouMean(stepKey, keys)
              + " (its steps: "
              + String.join(", ", keys)
              + ")");
    }
    Set<String> kept = new HashSet<>(keys.subList(0, at));
    RunRecord run = store.find(runId).orElseThrow();
    CompiledWorkflow wf = checkedWorkflow(run, false);
    String newId = ids.get();
    Instant now = clock.instant();
    RunLog log =
        create(
            new RunRecord(
                newId,
                wf.id,
                wf.hash,
                VERSION,
                run.input(),
                RunStatus.RUNNING,
                null,
                null,
                null,
                NullNode.getInstance(),
                now,
                now,
                run.labels(),
                run.budget(),
                null,
                run.priority(),
                runId,
                stepKey));
    List<StepRecord> history = new ArrayList<>();
    try {
      for (StepRecord s : store.steps(runId)) {
        if (!kept.contains(s.stepKey())) continue;
        StepRecord copy =
            new StepRecord(
                newId,
                s.stepKey(),
                s.nodeId(),
                s.attempts(),
                s.status(),
                s.output(),
                s.error(),
                s.startedAt(),
                s.duration(),
                s.usage());
        log.appendStep(copy, List.of());
        history.add(copy);
      }
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return new RunExecution(this, newId, wf, run.input(), log, history).execute(true);
  }

  private CompiledWorkflow checkedWorkflow(RunRecord run, boolean force) {
    CompiledWorkflow wf = workflows.get(run.workflowId());
    if (wf == null) {
      throw new RunNotFoundException(
          run.runId(),
          "run '"
              + run.runId()
              + "' belongs to workflow '"
              + run.workflowId()
              + "', which is no longer defined");
    }
    if (!wf.hash.equals(run.manifestHash()) && force) {
      log.warn(
          "run {}: workflow '{}' changed since the run started (manifest hash {} then, {} now); resuming anyway",
          run.runId(),
          wf.id,
          abbrev(run.manifestHash()),
          abbrev(wf.hash));
    } else if (!wf.hash.equals(run.manifestHash())) {
      throw new AgentrtException(
          "run '"
              + run.runId()
              + "': workflow '"
              + wf.id
              + "' (or an agent or sub-workflow it"
              + " uses) changed since the run started (manifest hash "
              + abbrev(run.manifestHash())
              + " then, "
              + abbrev(wf.hash)
              + " now); restore the files to continue it, or force the resume");
    }
    return wf;
  }

  /** A run's log as it is in the store, for replay: appends are ignored. */
  private static final class ReadOnlyLog implements RunLog {
    private final RunRecord run;
    private final List<StepRecord> steps;

    ReadOnlyLog(RunRecord run, List<StepRecord> steps) {
      this.run = run;
      this.steps = steps;
    }

    @Override
    public RunRecord run() {
      return run;
    }

    @Override
    public List<StepRecord> steps() {
      return steps;
    }

    @Override
    public List<dev.agentrt.core.spi.CallRecord> calls(String stepKey) {
      return List.of();
    }

    @Override
    public void appendStep(StepRecord step, List<dev.agentrt.core.spi.CallRecord> withStep) {}

    @Override
    public void appendDeferrable(StepRecord step) {}

    @Override
    public void appendCall(dev.agentrt.core.spi.CallRecord call) {}

    @Override
    public void updateStatus(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {}

    @Override
    public void finish(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {}

    @Override
    public void close() {}
  }

  private static String abbrev(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  @Override
  public void close() {
    stopThreads(Duration.ZERO);
    store.close();
  }

  /**
   * Stops the threads the engine created (runs still on them are interrupted) and waits at most
   * {@code timeout} for them to end; an executor given to the builder is left running.
   */
  public void stopThreads(Duration timeout) {
    ExecutorService t = ownThreads;
    if (t != null) t.shutdownNow();
    ScheduledExecutorService tm = timer;
    if (tm != null) tm.shutdownNow();
    long end = System.nanoTime() + timeout.toNanos();
    try {
      if (t != null) t.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (tm != null)
        tm.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Handle implements RunHandle {
    private final RunExecution exec;
    private final CompletableFuture<RunResult> future;

    Handle(RunExecution exec, CompletableFuture<RunResult> future) {
      this.exec = exec;
      this.future = future;
    }

    @Override
    public String runId() {
      return exec.runId;
    }

    @Override
    public boolean isDone() {
      return future.isDone();
    }

    @Override
    public RunResult await() {
      try {
        return await(Duration.ofNanos(Long.MAX_VALUE));
      } catch (TimeoutException e) {
        throw new AgentrtException("run '" + exec.runId + "' did not finish", e);
      }
    }

    @Override
    public RunResult await(Duration timeout) throws TimeoutException {
      try {
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentrtException("interrupted while waiting for run '" + exec.runId + "'", e);
      } catch (ExecutionException e) {
        throw new AgentrtException(
            "run '" + exec.runId + "' failed internally: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void cancel() {
      exec.requestStop(RunExecution.Stop.cancelled());
    }

    @Override
    public CompletableFuture<RunResult> toCompletableFuture() {
      return future.copy();
    }
  }
}
