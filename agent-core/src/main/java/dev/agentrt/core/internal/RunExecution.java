package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.Sleeper;
import dev.agentrt.core.spi.StepRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run: walks the workflow graph from start to exit, executing steps, forking branches and split
 * items onto threads, and recording every step in the run's log. Also used to resume a run: steps
 * already in the log are not executed again; their recorded output is reused, so the walk reaches
 * the same frontier deterministically.
 */
final class RunExecution {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

  final Engine engine;
  final String runId;
  final CompiledWorkflow workflow;
  final JsonNode input;
  final RunLog runLog;
  final RuntimeListeners listener;

  /** The listener of this run only, or {@link RunListener#NOOP}. */
  private RunListener own = RunListener.NOOP;

  final boolean recording;
  final boolean replay;
  final Clock clock;
  final RunBudget budget;
  final Instant startedAt;
  final long startNanos;

  /** Steps in the log when the run was opened: completed (and failed-with-$error-edge) by key. */
  final Map<String, StepRecord> recorded;

  /** The input each step the run waited at was resumed with, by step key. */
  final Map<String, JsonNode> resumeInputs;

  /** The steps the run waits at (recorded as suspended and not yet resumed). */
  final Set<String> suspendedKeys;

  /**
   * Whether the run was {@code WAITING} and is resumed with no input: a step it waits at before an
   * {@code interrupt: before} node then runs, with JSON null as its resume input (set before {@link
   * #execute}).
   */
  boolean resumedWithoutInput;

  /** The call records of each step, read from the log once when a step asks for them. */
  final Map<String, List<CallRecord>> recordedCalls = new ConcurrentHashMap<>();

  /** Every step of the run as reported in its result, in any order (sorted at the end). */
  final ConcurrentLinkedQueue<StepEntry> steps = new ConcurrentLinkedQueue<>();

  /** Guards {@link #threads} and every {@link ForkGroup}'s threads. */
  final Object lock = new Object();

  private final Set<Thread> threads = new HashSet<>();
  private volatile @Nullable Stop stop;

  /** A step could not be checkpointed: the final status is not written either. */
  volatile boolean checkpointBroken;

  /** The key of the step most recently started, named when the duration timer stops the run. */
  volatile @Nullable String lastStepKey;

  private @Nullable Future<?> deadline;
  final Tracing tracing;
  private @Nullable Span runSpan;

  final StepRecorder recorder;
  final StepRunner runner;
  final Router router;
  final ForkJoin forks;

  /** MDC keys set on every thread while it executes part of the run. */
  static final String MDC_RUN_ID = "agentrt.run.id";

  static final String MDC_STEP_KEY = "agentrt.step.key";

  /** Why the run was asked to stop. */
  record Stop(RunStatus status, FailureReason reason, String message, @Nullable String stepKey) {
    /** The caller cancelled the run. */
    static Stop cancelled() {
      return new Stop(
          RunStatus.CANCELLED, FailureReason.CANCELLED, "cancelled by the caller", null);
    }

    /** The engine gives the run up unfinished, for another engine to continue it. */
    static Stop released(String why) {
      return new Stop(RunStatus.RUNNING, FailureReason.RELEASED, why, null);
    }
  }

  /** A step as reported in the result, with its position in the deterministic order. */
  record StepEntry(
      int[] pos,
      String key,
      String nodeId,
      StepStatus status,
      int attempts,
      long startedMillis,
      long durationNanos,
      JsonNode output,
      @Nullable String error) {}

  RunExecution(
      Engine engine,
      String runId,
      CompiledWorkflow workflow,
      JsonNode input,
      RunLog runLog,
      List<StepRecord> history) {
    this(engine, runId, workflow, input, runLog, history, false);
  }

  /**
   * @param replay walk the log only: no executor runs, nothing is written, and the walk ends at the
   *     first step that is not in the log
   */
  RunExecution(
      Engine engine,
      String runId,
      CompiledWorkflow workflow,
      JsonNode input,
      RunLog runLog,
      List<StepRecord> history,
      boolean replay) {
    this.replay = replay;
    this.engine = engine;
    this.runId = runId;
    this.workflow = workflow;
    this.input = input;
    this.runLog = runLog;
    this.listener = engine.listener;
    this.recording = engine.recording;
    this.clock = engine.clock;
    this.tracing = engine.tracing;
    this.startedAt = clock.instant();
    this.startNanos = System.nanoTime();
    Map<String, StepRecord> rec = new HashMap<>();
    // written when a step waiting before an interrupt is resumed without input, from any branch
    Map<String, JsonNode> resumes = new ConcurrentHashMap<>();
    Set<String> suspended = ConcurrentHashMap.newKeySet();
    BudgetUsage prior = BudgetUsage.ZERO;
    for (StepRecord s : history) {
      switch (s.status()) {
        case COMPLETED:
        case FAILED:
          rec.put(s.stepKey(), s);
          prior = prior.plusStep(s.usage());
          break;
        case SUSPENDED:
          suspended.add(s.stepKey());
          break;
        case RESUMED:
          resumes.put(s.stepKey(), s.output());
          suspended.remove(s.stepKey());
          break;
        default:
          break;
      }
    }
    this.recorded = rec;
    this.resumeInputs = resumes;
    this.suspendedKeys = suspended;
    RunRecord record = runLog.run();
    BudgetLimits limits =
        record.budget() == null ? workflow.budget : workflow.budget.overriddenBy(record.budget());
    this.budget = new RunBudget(limits, record.deadline(), clock, prior);
    this.recorder = new StepRecorder(this);
    this.runner = new StepRunner(this);
    this.router = new Router(this);
    this.forks = new ForkJoin(this);
  }

  // ---------------------------------------------------------------- run lifecycle

  RunResult execute(boolean resumed) {
    register(Thread.currentThread(), null);
    String outerRunId = MDC.get(MDC_RUN_ID);
    MDC.put(MDC_RUN_ID, runId);
    if (!replay && tracing.enabled) runSpan = startRunSpan(resumed);
    End end;
    Scope top = null;
    try {
      emit(new RunEvent.RunStarted(runId, clock.instant(), workflow.id, resumed));
      long remaining = budget.remainingMillis();
      if (remaining >= 0 && !replay) startDeadline(remaining);
      top =
          new Scope(
              this,
              null,
              workflow,
              "",
              new int[0],
              new StateMap(null),
              runSpan == null ? null : Context.root().with(runSpan));
      top.state.put("input", input);
      if (workflow.initialLoops != null) top.state.put("$loops", workflow.initialLoops);
      end = runner.walk(top, workflow.start, null);
    } catch (RuntimeException | Error e) {
      log.error("run {} of workflow '{}': internal error", runId, workflow.id, e);
      end = End.failed(FailureReason.NODE_FAILED, null, "internal error: " + e);
    } finally {
      if (deadline != null) deadline.cancel(engine.sleeper != Sleeper.system());
      deregister(Thread.currentThread(), null);
      restoreMdc(MDC_RUN_ID, outerRunId);
    }
    return finish(end, top == null ? NullNode.getInstance() : top.state.materialize());
  }

  /**
   * Stops the run when its {@code max_duration} is used up. On the real sleeper the shared timer
   * fires it (no thread per run); another sleeper (a test's fake time) is waited on by a run
   * thread.
   */
  private void startDeadline(long remainingMillis) {
    Runnable expire =
        () ->
            requestStop(
                new Stop(
                    RunStatus.FAILED,
                    FailureReason.BUDGET_EXCEEDED,
                    budget.durationMessage(lastStepKey),
                    lastStepKey));
    Sleeper sleeper = engine.sleeper;
    if (sleeper == Sleeper.system()) {
      deadline = engine.timer().schedule(expire, remainingMillis, TimeUnit.MILLISECONDS);
      return;
    }
    deadline =
        engine
            .threads()
            .submit(
                () -> {
                  try {
                    sleeper.sleep(Duration.ofMillis(remainingMillis));
                    expire.run();
                  } catch (InterruptedException e) {
                    // the run ended first
                  }
                });
  }

  /**
   * The step key under which the trace of a run's first execution is kept, for resumed runs to link
   * to.
   */
  private static final String TRACE_RECORD_KEY = "$run";

  /**
   * Starts the run's root span. A resumed run starts a new trace whose root links to the root of
   * the run's first execution, whose ids are kept in the run's log.
   */
  private @Nullable Span startRunSpan(boolean resumed) {
    io.opentelemetry.api.trace.SpanContext original = null;
    try {
      for (CallRecord c : runLog.calls(TRACE_RECORD_KEY)) {
        if (c.kind() == CallKind.TRACE) {
          original =
              io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
                  c.response().path("trace_id").asText(), c.response().path("span_id").asText(),
                  io.opentelemetry.api.trace.TraceFlags.getSampled(),
                      io.opentelemetry.api.trace.TraceState.getDefault());
          break;
        }
      }
    } catch (RuntimeException e) {
      log.debug("run {}: the trace of its first execution could not be read", runId, e);
    }
    Span span = tracing.startRun(runId, workflow.id, resumed, original);
    if (span != null && original == null && recording) {
      ObjectNode ids = Json.NODES.objectNode();
      ids.put("trace_id", span.getSpanContext().getTraceId());
      ids.put("span_id", span.getSpanContext().getSpanId());
      try {
        runLog.appendCall(
            new CallRecord(
                runId,
                TRACE_RECORD_KEY,
                0,
                CallKind.TRACE,
                "agentrt.run",
                "",
                Json.NODES.objectNode(),
                ids,
                BudgetUsage.ZERO,
                clock.instant(),
                Duration.ZERO));
      } catch (CheckpointStoreException e) {
        log.debug("run {}: its trace ids could not be recorded", runId, e);
      }
    }
    return span;
  }

  private static void restoreMdc(String key, @Nullable String previous) {
    if (previous == null) MDC.remove(key);
    else MDC.put(key, previous);
  }

  private RunResult finish(End end, JsonNode state) {
    RunStatus status;
    FailureReason reason = null;
    String stepKey = null;
    String message = null;
    JsonNode output = NullNode.getInstance();
    Stop s = stop;
    if (end.kind == EndKind.REPLAY_END || (replay && end.kind != EndKind.EXITED)) {
      RunRecord original = runLog.run();
      status = original.status();
      reason = original.reason();
      stepKey = original.stepKey();
      message = original.message();
    } else if (end.kind == EndKind.EXITED && s == null) {
      status = RunStatus.COMPLETED;
      output = end.output;
    } else if (s != null) {
      status = s.status;
      reason = s.reason;
      stepKey = s.stepKey;
      message = s.message;
    } else if (end.kind == EndKind.SUSPENDED) {
      status = RunStatus.WAITING;
      reason = end.reason;
      stepKey = end.stepKey;
      message = end.message;
    } else {
      status = RunStatus.FAILED;
      reason = end.reason == null ? FailureReason.NODE_FAILED : end.reason;
      stepKey = end.stepKey;
      message = end.message;
    }
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    recordFinal(status, reason, stepKey, message, output);
    if (runSpan != null) {
      runSpan.setAttribute(Tracing.RUN_STATUS, status.name());
      if (reason != null) {
        runSpan.setAttribute(Tracing.RUN_REASON, reason.name());
        if (status == RunStatus.FAILED)
          Tracing.fail(runSpan, message == null ? reason.name() : message, null);
      }
      runSpan.end();
    }
    Instant now = clock.instant();
    if (status == RunStatus.COMPLETED) {
      emit(new RunEvent.RunCompleted(runId, now, workflow.id, output, duration));
    } else if (status == RunStatus.WAITING) {
      emit(
          new RunEvent.RunSuspended(
              runId, now, workflow.id, stepKey == null ? "" : stepKey, reason, message));
    } else {
      emit(
          new RunEvent.RunFailed(
              runId, now, workflow.id, status, reason, stepKey, message == null ? "" : message));
    }
    return new RunResult(
        runId,
        workflow.id,
        status,
        reason,
        stepKey,
        message,
        output,
        state,
        sortedSteps(),
        startedAt,
        duration,
        budget.used());
  }

  /**
   * Writes the run's final status and gives up the run in one commit ({@link RunLog#finish}), or,
   * if a step could not be checkpointed, only closes its log.
   */
  private void recordFinal(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    if (checkpointBroken) {
      try {
        runLog.close();
      } catch (CheckpointStoreException e) {
        log.warn("run {}: its checkpoint log could not be closed", runId, e);
      }
      return;
    }
    try {
      runLog.finish(status, reason, stepKey, message, output); // closes the log, even if it throws
    } catch (CheckpointStoreException e) {
      log.warn("run {}: its final status {} could not be recorded", runId, status, e);
    }
  }

  private List<StepResult> sortedSteps() {
    StepEntry[] entries = steps.toArray(new StepEntry[0]);
    boolean sorted = true;
    for (int i = 1; i < entries.length && sorted; i++) {
      sorted = Arrays.compare(entries[i - 1].pos, entries[i].pos) <= 0;
    }
    if (!sorted) Arrays.sort(entries, (a, b) -> Arrays.compare(a.pos, b.pos));
    List<StepResult> out = new ArrayList<>(entries.length);
    for (StepEntry e : entries) {
      out.add(
          new StepResult(
              e.key,
              e.nodeId,
              e.status,
              e.attempts,
              Instant.ofEpochMilli(e.startedMillis),
              Duration.ofNanos(e.durationNanos),
              e.output,
              e.error));
    }
    return out;
  }

  /** Asks every thread of the run to stop; the first request wins. */
  void requestStop(Stop s) {
    synchronized (lock) {
      if (stop != null) return;
      stop = s;
      for (Thread t : threads) t.interrupt();
    }
  }

  boolean isStopping() {
    return stop != null;
  }

  void register(Thread t, @Nullable ForkGroup group) {
    synchronized (lock) {
      threads.add(t);
      for (ForkGroup g = group; g != null; g = g.parent) g.threads.add(t);
      if (stop != null || (group != null && group.isCancelled())) t.interrupt();
    }
  }

  void deregister(Thread t, @Nullable ForkGroup group) {
    synchronized (lock) {
      threads.remove(t);
      for (ForkGroup g = group; g != null; g = g.parent) g.threads.remove(t);
      if (stop != null || (group != null && group.isCancelled())) Thread.interrupted();
    }
  }

  /**
   * Whether events are wanted now: not while replaying, and only when a listener is registered (one
   * may be added while the run goes on).
   */
  boolean listening() {
    return !replay && (listener.active() || own != RunListener.NOOP);
  }

  void emit(RunEvent event) {
    if (!listening()) return;
    Listeners.deliver(listener, event);
    if (own != RunListener.NOOP) Listeners.deliver(own, event);
  }

  /** Adds the listener of this run only ({@code RunOptions.listener}); before it executes. */
  void listenWith(RunListener listener) {
    this.own = listener;
  }

  /** A step that ran now has completed and is recorded: it joins the result and is reported. */
  void completedStep(
      int[] pos,
      String key,
      CompiledWorkflow.CNode node,
      int attempts,
      long startedMillis,
      long t0,
      JsonNode out) {
    long nanos = System.nanoTime() - t0;
    steps.add(
        new StepEntry(
            pos, key, node.id, StepStatus.COMPLETED, attempts, startedMillis, nanos, out, null));
    if (listening())
      emit(
          new RunEvent.StepCompleted(
              runId, clock.instant(), key, node.id, attempts, Duration.ofNanos(nanos)));
  }

  /** Waits {@code d} on the runtime's sleeper; false if the thread was interrupted meanwhile. */
  boolean sleep(Duration d) {
    try {
      engine.sleeper.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
