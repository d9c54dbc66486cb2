package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetExceededException;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.spi.Budget;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.internal.CompiledWorkflow.CEdge;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run: walks the workflow graph from start to exit, executing steps, forking branches and
 * split items onto threads, and recording every step in the run's log. Also used to resume a
 * run: steps already in the log are not executed again; their recorded output is reused, so the
 * walk reaches the same frontier deterministically.
 */
final class RunExecution {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);
  private static final BudgetUsage ONE_HOP = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO);

  final Engine engine;
  final String runId;
  final CompiledWorkflow workflow;
  final JsonNode input;
  final RunLog runLog;
  final RunListener listener;
  final boolean listening;
  final boolean recording;
  final boolean replay;
  final Clock clock;
  final RunBudget budget;
  final Instant startedAt;
  final long startNanos;

  /** Steps in the log when the run was opened: completed (and failed-with-$error-edge) by key. */
  private final Map<String, StepRecord> recorded;
  private final Map<String, JsonNode> resumeInputs;
  private final Set<String> suspendedKeys;
  private final Map<String, List<CallRecord>> recordedCalls = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<StepEntry> steps = new ConcurrentLinkedQueue<>();
  private final Object lock = new Object();
  private final Set<Thread> threads = new HashSet<>();
  private volatile @Nullable Stop stop;
  private volatile boolean checkpointBroken;
  /** The key of the step most recently started, named when the duration timer stops the run. */
  private volatile @Nullable String lastStepKey;
  private @Nullable ScheduledFuture<?> deadline;
  private final Tracing tracing;
  private @Nullable Span runSpan;

  /** MDC keys set on every thread while it executes part of the run. */
  static final String MDC_RUN_ID = "agentrt.run.id";
  static final String MDC_STEP_KEY = "agentrt.step.key";

  /** Why the run was asked to stop. */
  record Stop(RunStatus status, FailureReason reason, String message, @Nullable String stepKey) {}

  /** A step as reported in the result, with its position in the deterministic order. */
  record StepEntry(int[] pos, String key, String nodeId, StepStatus status, int attempts, long startedMillis,
      long durationNanos, JsonNode output, @Nullable String error) {}

  RunExecution(Engine engine, String runId, CompiledWorkflow workflow, JsonNode input, RunLog runLog,
      List<StepRecord> history) {
    this(engine, runId, workflow, input, runLog, history, false);
  }

  /**
   * @param replay walk the log only: no executor runs, nothing is written, and the walk ends at
   *     the first step that is not in the log
   */
  RunExecution(Engine engine, String runId, CompiledWorkflow workflow, JsonNode input, RunLog runLog,
      List<StepRecord> history, boolean replay) {
    this.replay = replay;
    this.engine = engine;
    this.runId = runId;
    this.workflow = workflow;
    this.input = input;
    this.runLog = runLog;
    this.listener = engine.listener;
    this.listening = listener != RunListener.NOOP && !replay;
    this.recording = engine.recording;
    this.clock = engine.clock;
    this.tracing = engine.tracing;
    this.startedAt = clock.instant();
    this.startNanos = System.nanoTime();
    Map<String, StepRecord> rec = new HashMap<>();
    Map<String, JsonNode> resumes = new HashMap<>();
    Set<String> suspended = new HashSet<>();
    BudgetUsage prior = BudgetUsage.ZERO;
    for (StepRecord s : history) {
      switch (s.status()) {
        case COMPLETED:
        case FAILED:
          rec.put(s.stepKey(), s);
          // counts add up; elapsed is the run's active time when the step was recorded: keep the latest
          Duration elapsed = prior.elapsed().compareTo(s.usage().elapsed()) >= 0 ? prior.elapsed() : s.usage().elapsed();
          prior = prior.plus(s.usage()).withElapsed(elapsed);
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
    this.budget = new RunBudget(workflow.budget, clock, prior);
  }

  // ---------------------------------------------------------------- run lifecycle

  RunResult execute(boolean resumed) {
    register(Thread.currentThread(), null);
    String outerRunId = MDC.get(MDC_RUN_ID);
    MDC.put(MDC_RUN_ID, runId);
    if (!replay && tracing.enabled) runSpan = startRunSpan(resumed);
    End end;
    try {
      emit(new RunEvent.RunStarted(runId, clock.instant(), workflow.id, resumed));
      long remaining = budget.remainingMillis();
      if (remaining >= 0 && !replay) {
        deadline = engine.timer().schedule(() -> requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED,
            budget.durationMessage(lastStepKey), lastStepKey)), remaining, TimeUnit.MILLISECONDS);
      }
      Scope top = new Scope(null, workflow, "", new int[0], new StateMap(null),
          runSpan == null ? null : Context.root().with(runSpan));
      top.state.put("input", input);
      if (workflow.initialLoops != null) top.state.put("$loops", workflow.initialLoops);
      end = walk(top, workflow.start, null);
    } catch (RuntimeException | Error e) {
      log.error("run {} of workflow '{}': internal error", runId, workflow.id, e);
      end = End.failed(FailureReason.NODE_FAILED, null, "internal error: " + e);
    } finally {
      if (deadline != null) deadline.cancel(false);
      deregister(Thread.currentThread(), null);
      restoreMdc(MDC_RUN_ID, outerRunId);
    }
    return finish(end);
  }

  /** The step key under which the trace of a run's first execution is kept, for resumed runs to link to. */
  private static final String TRACE_RECORD_KEY = "$run";

  /**
   * Starts the run's root span. A resumed run starts a new trace whose root links to the root of
   * the run's first execution, whose ids are kept in the run's log.
   */
  private @Nullable Span startRunSpan(boolean resumed) {
    io.opentelemetry.api.trace.SpanContext original = null;
    try {
      for (CallRecord c : runLog.calls(TRACE_RECORD_KEY)) {
        if ("trace".equals(c.kind())) {
          original = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
              c.response().path("trace_id").asText(), c.response().path("span_id").asText(),
              io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
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
        runLog.appendCall(new CallRecord(runId, TRACE_RECORD_KEY, 0, "trace", "agentrt.run", "",
            Json.NODES.objectNode(), ids, BudgetUsage.ZERO, clock.instant(), Duration.ZERO));
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

  private RunResult finish(End end) {
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
    try {
      if (!checkpointBroken) runLog.updateStatus(status, reason, stepKey, message, output);
    } catch (CheckpointStoreException e) {
      log.warn("run {}: its final status {} could not be recorded", runId, status, e);
    } finally {
      try {
        runLog.close();
      } catch (CheckpointStoreException e) {
        log.warn("run {}: its checkpoint log could not be closed", runId, e);
      }
    }
    if (runSpan != null) {
      runSpan.setAttribute(Tracing.RUN_STATUS, status.name());
      if (reason != null) {
        runSpan.setAttribute(Tracing.RUN_REASON, reason.name());
        if (status == RunStatus.FAILED) Tracing.fail(runSpan, message == null ? reason.name() : message, null);
      }
      runSpan.end();
    }
    Instant now = clock.instant();
    if (status == RunStatus.COMPLETED) {
      emit(new RunEvent.RunCompleted(runId, now, workflow.id, output, duration));
    } else if (status == RunStatus.WAITING) {
      emit(new RunEvent.RunSuspended(runId, now, workflow.id, stepKey == null ? "" : stepKey, reason, message));
    } else {
      emit(new RunEvent.RunFailed(runId, now, workflow.id, status, reason, stepKey, message == null ? "" : message));
    }
    return new RunResult(runId, workflow.id, status, reason, stepKey, message, output, sortedSteps(), startedAt,
        duration, budget.used());
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
      out.add(new StepResult(e.key, e.nodeId, e.status, e.attempts, Instant.ofEpochMilli(e.startedMillis),
          Duration.ofNanos(e.durationNanos), e.output, e.error));
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

  private void register(Thread t, @Nullable ForkGroup group) {
    synchronized (lock) {
      threads.add(t);
      for (ForkGroup g = group; g != null; g = g.parent) g.threads.add(t);
      if (stop != null || (group != null && group.isCancelled())) t.interrupt();
    }
  }

  private void deregister(Thread t, @Nullable ForkGroup group) {
    synchronized (lock) {
      threads.remove(t);
      for (ForkGroup g = group; g != null; g = g.parent) g.threads.remove(t);
      if (stop != null || (group != null && group.isCancelled())) Thread.interrupted();
    }
  }

  void emit(RunEvent event) {
    if (listening) Listeners.deliver(listener, event);
  }

  // ---------------------------------------------------------------- walking

  /** A group of parallel branches or split items; cancelling it interrupts them all. */
  final class ForkGroup {
    final @Nullable ForkGroup parent;
    final Set<Thread> threads = new HashSet<>();
    private volatile boolean cancelled;

    ForkGroup(@Nullable ForkGroup parent) {
      this.parent = parent;
    }

    boolean isCancelled() {
      for (ForkGroup g = this; g != null; g = g.parent) {
        if (g.cancelled) return true;
      }
      return false;
    }

    void cancel() {
      synchronized (lock) {
        cancelled = true;
        for (Thread t : threads) t.interrupt();
      }
    }
  }

  /** One sequential path of execution: the top level, a branch, a split item or a sub-workflow. */
  final class Scope {
    final @Nullable ForkGroup group;
    final CompiledWorkflow wf;
    final String prefix;
    final int[] basePos;
    final StateMap state;
    final Function<String, JsonNode> roots;
    private final HashMap<String, Integer> visits = new HashMap<>();
    private final HashMap<String, Integer> loops = new HashMap<>();
    private int seq;

    /** The trace context steps of this scope are children of; null when tracing is off. */
    final @Nullable Context otel;

    Scope(@Nullable ForkGroup group, CompiledWorkflow wf, String prefix, int[] basePos, StateMap state,
        @Nullable Context otel) {
      this.otel = otel;
      this.group = group;
      this.wf = wf;
      this.prefix = prefix;
      this.basePos = basePos;
      this.state = state;
      this.roots = state::get;
    }

    int[] nextPos() {
      int[] p = Arrays.copyOf(basePos, basePos.length + 1);
      p[basePos.length] = seq++;
      return p;
    }

    String key(CNode node) {
      int visit = visits.merge(node.id, 1, Integer::sum) - 1;
      return prefix.isEmpty() ? node.keyBase + visit : prefix + node.keyBase + visit;
    }

    boolean cancelled() {
      return stop != null || (group != null && group.isCancelled());
    }
  }

  enum EndKind { REACHED, EXITED, FAILED, SUSPENDED, STOPPED, CANCELLED, REPLAY_END }

  /** How a walk (or a step) ended. */
  static final class End {
    static final End STOPPED = new End(EndKind.STOPPED, NullNode.getInstance(), null, null, null, null);
    static final End CANCELLED = new End(EndKind.CANCELLED, NullNode.getInstance(), null, null, null, null);
    /** A replay reached a step its log does not have: the run had stopped there. */
    static final End REPLAY_END = new End(EndKind.REPLAY_END, NullNode.getInstance(), null, null, null, null);

    final EndKind kind;
    final JsonNode output;
    final @Nullable String lastNode;
    final @Nullable FailureReason reason;
    final @Nullable String stepKey;
    final @Nullable String message;

    End(EndKind kind, JsonNode output, @Nullable String lastNode, @Nullable FailureReason reason,
        @Nullable String stepKey, @Nullable String message) {
      this.kind = kind;
      this.output = output;
      this.lastNode = lastNode;
      this.reason = reason;
      this.stepKey = stepKey;
      this.message = message;
    }

    static End failed(FailureReason reason, @Nullable String stepKey, String message) {
      return new End(EndKind.FAILED, NullNode.getInstance(), null, reason, stepKey, message);
    }

    static End suspended(FailureReason reason, String stepKey, String message) {
      return new End(EndKind.SUSPENDED, NullNode.getInstance(), null, reason, stepKey, message);
    }
  }

  /** The result of one step: where to go next, or how the walk ends. */
  private static final class Next {
    final @Nullable CNode node;
    final @Nullable End end;
    final JsonNode output;
    @Nullable CEdge edge;
    String reason = "next";

    Next(@Nullable CNode node, @Nullable End end, JsonNode output) {
      this.node = node;
      this.end = end;
      this.output = output;
    }

    Next withEdge(CEdge e, String why) {
      this.edge = e;
      this.reason = why;
      return this;
    }
  }

  End walk(Scope s, CNode first, @Nullable CNode stopAt) {
    CNode node = first;
    CNode prev = null;
    JsonNode last = NullNode.getInstance();
    while (true) {
      if (node == stopAt) {
        return new End(EndKind.REACHED, last, prev == null ? null : prev.id, null, null, null);
      }
      if (s.cancelled()) return stop != null ? End.STOPPED : End.CANCELLED;
      Next next = step(s, node);
      if (next.end != null) return next.end;
      prev = node.role == Role.BRANCH || node.role == Role.SPLIT ? node.merge : node;
      last = next.output;
      node = next.node;
    }
  }

  /** Executes {@code node} (and, for a branch or split, everything up to and including its merge). */
  private Next step(Scope s, CNode node) {
    String key = s.key(node);
    lastStepKey = key;
    int[] pos = s.nextPos();
    StepRecord rec = recorded.isEmpty() ? null : recorded.get(key);
    if (rec == null && replay) return new Next(null, End.REPLAY_END, NullNode.getInstance());
    if (rec == null) {
      String exceeded = budget.chargeHop(key);
      if (exceeded != null) {
        requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, exceeded, key));
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
    }
    Span span = rec == null && tracing.enabled ? tracing.startNode(s.otel, runId, node, key, budget.hops.get()) : null;
    MDC.put(MDC_STEP_KEY, key);
    io.opentelemetry.context.Scope current = span == null ? null : span.makeCurrent();
    try {
      switch (node.role) {
        case START:
          return afterStep(s, node, key, pos, rec, NullNode.getInstance(), 1);
        case EXIT:
          return exit(s, node, key, pos, rec);
        case MERGE:
          throw new IllegalStateException("merge '" + node.id + "' reached outside its fork");
        default:
          return execute(s, node, key, pos, rec);
      }
    } finally {
      if (current != null) current.close();
      MDC.remove(MDC_STEP_KEY);
      Tracing.end(span);
    }
  }

  private Next exit(Scope s, CNode node, String key, int[] pos, @Nullable StepRecord rec) {
    JsonNode out;
    long t0 = System.nanoTime();
    long startedMillis = clock.millis();
    if (rec != null) {
      out = rec.output();
    } else {
      try {
        out = node.output != null ? node.output.evaluate(s.roots) : s.state.materialize();
      } catch (Template.TemplateException e) {
        String msg = "exit '" + node.id + "': " + e.getMessage();
        return new Next(null, End.failed(FailureReason.INVALID_OUTPUT, key, msg), NullNode.getInstance());
      }
      if (!record(key, node, 1, StepStatus.COMPLETED, out, null, startedMillis, t0, ONE_HOP)) {
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
      roleOnlyEvents(key, node, t0);
    }
    steps.add(new StepEntry(pos, key, node.id, StepStatus.COMPLETED, 1, startedMillis, System.nanoTime() - t0, out, null));
    return new Next(null, new End(EndKind.EXITED, out, node.id, null, null, null), out);
  }

  private Next execute(Scope s, CNode node, String key, int[] pos, @Nullable StepRecord rec) {
    long startedMillis = clock.millis();
    long t0 = System.nanoTime();
    if (rec != null) {
      steps.add(new StepEntry(pos, key, node.id, rec.status(), rec.attempts(), rec.startedAt().toEpochMilli(),
          rec.duration().toNanos(), rec.output(), rec.error()));
      if (rec.status() == StepStatus.FAILED) return errorRoute(s, node, key, rec.error(), rec.attempts(), true);
      putResumeInput(s, node, key);
      if (node.interrupt == InterruptMode.AFTER && !resumeInputs.containsKey(key)) {
        s.state.put(node.id, rec.output());
        return suspend(node, key, false);
      }
      return complete(s, node, key, pos, rec.output(), rec.attempts(), true);
    }
    // any step the run waited at (an interrupt, or an executor's Suspended outcome) sees the resume input
    boolean resumed = putResumeInput(s, node, key);
    if (!resumed && node.interrupt == InterruptMode.BEFORE) {
      return suspend(node, key, true);
    }
    if (listening) emit(new RunEvent.StepStarted(runId, clock.instant(), key, node.id));
    int attempt = 0;
    while (true) {
      attempt++;
      NodeOutcome outcome;
      StepContext ctx = new StepContext(s, node, key, attempt, pos);
      try {
        outcome = body(s, node, ctx);
      } catch (BudgetExceededException e) {
        requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, e.getMessage(), key));
        return new Next(null, End.STOPPED, NullNode.getInstance());
      } catch (InterruptedException e) {
        outcome = new NodeOutcome.Failed("interrupted", e, false);
      } catch (Exception e) {
        outcome = new NodeOutcome.Failed(describe(e), e, true);
      }
      if (s.cancelled()) {
        Thread.interrupted();
        return new Next(null, stop != null ? End.STOPPED : End.CANCELLED, NullNode.getInstance());
      }
      if (outcome instanceof NodeOutcome.Completed c) {
        JsonNode out = c.output();
        if (node.role == Role.BRANCH || node.role == Role.SPLIT) {
          return fork(s, node, key, pos, out, attempt, startedMillis, t0, ctx);
        }
        Next routed = route(s, node, key, out);
        if (routed.end != null && routed.end.kind == EndKind.FAILED) {
          outcome = new NodeOutcome.Failed(routed.end.message, null, false);
        } else {
          NodeOutcome.Failed unstorable = null;
          boolean recorded = false;
          try {
            recorded = record(key, node, attempt, StepStatus.COMPLETED, out, null, startedMillis, t0, ctx.usage(),
                ctx.withStep());
          } catch (IllegalArgumentException e) {
            // the store cannot hold this output (RunLog.appendStep): a failure of the step, not of the engine
            unstorable = new NodeOutcome.Failed("its output cannot be checkpointed (" + e.getMessage()
                + "); return a smaller or flatter value", e, false);
          }
          if (unstorable != null) {
            outcome = unstorable;
          } else if (!recorded) {
            return new Next(null, End.STOPPED, NullNode.getInstance());
          } else {
            return recorded(s, node, key, pos, attempt, startedMillis, t0, routed, out);
          }
        }
      }
      if (outcome instanceof NodeOutcome.Suspended sus) {
        appendSuspended(node, key);
        return new Next(null, End.suspended(sus.reason(), key, "step '" + key + "': " + sus.message()),
            NullNode.getInstance());
      }
      NodeOutcome.Failed f = (NodeOutcome.Failed) outcome;
      if (f.retryable() && attempt < node.maxAttempts) {
        Duration backoff = node.retry == null ? Duration.ZERO : node.retry.backoffAfter(attempt);
        if (listening) emit(new RunEvent.StepRetried(runId, clock.instant(), key, node.id, attempt, f.message(), backoff));
        if (!backoff.isZero() && !sleep(backoff)) {
          return new Next(null, stop != null ? End.STOPPED : End.CANCELLED, NullNode.getInstance());
        }
        continue;
      }
      String message = f.message();
      record(key, node, attempt, StepStatus.FAILED, NullNode.getInstance(), message, startedMillis, t0, ctx.usage());
      steps.add(new StepEntry(pos, key, node.id, StepStatus.FAILED, attempt, startedMillis, System.nanoTime() - t0,
          NullNode.getInstance(), message));
      if (listening) emit(new RunEvent.StepFailed(runId, clock.instant(), key, node.id, attempt, message));
      if (tracing.enabled) Tracing.fail(Span.current(), message, f.cause());
      if (f.cause() != null && !(f.cause() instanceof InterruptedException)) {
        log.debug("run {} step '{}' failed", runId, key, f.cause());
      }
      return errorRoute(s, node, key, message, attempt, false);
    }
  }

  /** A completed step is in the log: report it, fold its output into state, and continue. */
  private Next recorded(Scope s, CNode node, String key, int[] pos, int attempt, long startedMillis, long t0,
      Next routed, JsonNode out) {
    steps.add(new StepEntry(pos, key, node.id, StepStatus.COMPLETED, attempt, startedMillis,
        System.nanoTime() - t0, out, null));
    if (listening) emit(new RunEvent.StepCompleted(runId, clock.instant(), key, node.id, attempt,
        Duration.ofNanos(System.nanoTime() - t0)));
    s.state.put(node.id, out);
    if (node.interrupt == InterruptMode.AFTER && !resumeInputs.containsKey(key)) {
      return suspend(node, key, false);
    }
    return takeEdge(s, node, key, routed, out);
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getName() : m;
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Puts the input the run was resumed with at {@code state.$resume.<node>}, whether the step
   * runs now or is replayed from the log (so later steps see the same state either way).
   *
   * @return whether the step was resumed with an input
   */
  private boolean putResumeInput(Scope s, CNode node, String key) {
    if (resumeInputs.isEmpty()) return false;
    JsonNode given = resumeInputs.get(key);
    if (given == null) return false;
    JsonNode prior = s.state.get("$resume");
    ObjectNode r = prior.isObject() ? ((ObjectNode) prior).deepCopy() : Json.NODES.objectNode();
    r.set(node.id, given);
    s.state.put("$resume", r);
    return true;
  }

  private Next suspend(CNode node, String key, boolean before) {
    appendSuspended(node, key);
    String msg = "run waits " + (before ? "before" : "after") + " node '" + node.id + "' (step '" + key
        + "'): resume it with input";
    return new Next(null, End.suspended(FailureReason.INTERRUPTED, key, msg), NullNode.getInstance());
  }

  private void appendSuspended(CNode node, String key) {
    if (suspendedKeys.contains(key)) return;
    long now = clock.millis();
    try {
      runLog.appendStep(new StepRecord(runId, key, node.id, 0, StepStatus.SUSPENDED, NullNode.getInstance(), null,
          Instant.ofEpochMilli(now), Duration.ZERO, BudgetUsage.ZERO), List.of());
    } catch (CheckpointStoreException e) {
      checkpointFailed(key, e);
    }
  }

  private Next errorRoute(Scope s, CNode node, String key, @Nullable String message, int attempts, boolean replayed) {
    if (node.errorEdge == null) {
      String msg = "step '" + key + "' (node '" + node.id + "') failed" + (attempts > 1 ? " after " + attempts
          + " attempts" : "") + ": " + message;
      return new Next(null, End.failed(FailureReason.NODE_FAILED, key, msg), NullNode.getInstance());
    }
    ObjectNode err = Json.NODES.objectNode();
    err.put("node", node.id);
    err.put("step", key);
    err.put("message", message);
    err.put("attempts", attempts);
    s.state.put("$error", err);
    if (!replayed) {
      emit(new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, node.errorEdge.to.id, node.errorEdge.id, "$error"));
    }
    return new Next(node.errorEdge.to, null, NullNode.getInstance());
  }

  private NodeOutcome body(Scope s, CNode node, StepContext ctx) throws Exception {
    if (node.kind == null) return new NodeOutcome.Completed(NullNode.getInstance());
    if (node.function != null) {
      JsonNode out = node.function.apply(ctx, ctx);
      if (out == null) {
        return new NodeOutcome.Failed("function '" + node.spec.function() + "' returned null (return NullNode.getInstance() for no output)", null, false);
      }
      return new NodeOutcome.Completed(out);
    }
    if ("transform".equals(node.kind)) {
      try {
        return new NodeOutcome.Completed(node.template.evaluate(s.roots));
      } catch (Template.TemplateException e) {
        return new NodeOutcome.Failed(e.getMessage(), null, false);
      }
    }
    if (node.subWorkflow != null) return subWorkflow(s, node, ctx);
    NodeOutcome o = node.executor.execute(ctx, ctx);
    if (o == null) return new NodeOutcome.Failed("executor of kind '" + node.kind + "' returned no outcome", null, false);
    return o;
  }

  private NodeOutcome subWorkflow(Scope s, CNode node, StepContext ctx) {
    CompiledWorkflow sub = engine.compiled(node.subWorkflow);
    String prefix = ctx.stepKey() + (ctx.attempt() > 1 ? "~" + ctx.attempt() : "") + "/";
    StateMap state = new StateMap(null);
    state.put("input", node.inputMapping != null ? ctx.value() : s.state.get("input"));
    if (sub.initialLoops != null) state.put("$loops", sub.initialLoops);
    Scope child = new Scope(s.group, sub, prefix, ctx.pos, state, tracing.enabled ? Context.current() : null);
    End end = walk(child, sub.start, null);
    switch (end.kind) {
      case EXITED:
        return new NodeOutcome.Completed(end.output);
      case SUSPENDED:
        return new NodeOutcome.Suspended(end.reason, "sub-workflow '" + sub.id + "' waits: " + end.message);
      case STOPPED:
      case CANCELLED:
        return new NodeOutcome.Failed("cancelled", null, false);
      default:
        return new NodeOutcome.Failed("sub-workflow '" + sub.id + "' failed: " + end.message, null, false);
    }
  }

  /** Records the step of a role-only start node and routes on. */
  private Next afterStep(Scope s, CNode node, String key, int[] pos, @Nullable StepRecord rec, JsonNode out, int attempts) {
    long startedMillis = clock.millis();
    long t0 = System.nanoTime();
    if (rec == null) {
      if (!record(key, node, attempts, StepStatus.COMPLETED, out, null, startedMillis, t0, ONE_HOP)) {
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
      roleOnlyEvents(key, node, t0);
    }
    steps.add(new StepEntry(pos, key, node.id, StepStatus.COMPLETED, attempts, startedMillis, 0, out, null));
    return complete(s, node, key, pos, out, attempts, rec != null);
  }

  private Next complete(Scope s, CNode node, String key, int[] pos, JsonNode out, int attempts, boolean replayed) {
    if (node.kind != null) s.state.put(node.id, out);
    if (node.role == Role.BRANCH || node.role == Role.SPLIT) {
      return fork(s, node, key, pos, out, attempts, clock.millis(), System.nanoTime(), null);
    }
    Next routed = route(s, node, key, out);
    if (routed.end != null) return routed;
    return takeEdge(s, node, key, routed, out);
  }

  /** Chooses the outgoing edge (without taking it). A decision that matches no edge fails. */
  private Next route(Scope s, CNode node, String key, JsonNode out) {
    List<CEdge> edges = node.out;
    if (node.role != Role.DECISION) {
      return new Next(null, null, out).withEdge(edges.get(0), "next");
    }
    JsonNode value = node.route != null ? node.route.readRelative(out) : out;
    if (value.isMissingNode() || value.isNull()) {
      CEdge dflt = defaultEdge(edges);
      if (dflt != null) return new Next(null, null, out).withEdge(dflt, "default");
      return new Next(null, End.failed(FailureReason.NODE_FAILED, key, "decision '" + node.id + "': "
          + (node.route != null ? "route path '" + node.route + "' is not in the output " + Json.brief(out)
              : "the output is null") + " and no edge is the default (add an edge without when:)"), out);
    }
    String v = value.isValueNode() ? value.asText() : value.toString();
    for (CEdge e : edges) {
      if (e.when != null && e.when.equals(v)) return new Next(null, null, out).withEdge(e, "when=" + v);
    }
    CEdge dflt = defaultEdge(edges);
    if (dflt != null) return new Next(null, null, out).withEdge(dflt, "default");
    List<String> whens = new ArrayList<>();
    for (CEdge e : edges) whens.add(e.when);
    return new Next(null, End.failed(FailureReason.NODE_FAILED, key, "decision '" + node.id + "': route value '"
        + Json.brief(value) + "' matches no edge (when: " + String.join(", ", whens) + ") and no edge is the default"
        + Suggest.didYouMean(v, whens)), out);
  }

  private static @Nullable CEdge defaultEdge(List<CEdge> edges) {
    for (CEdge e : edges) {
      if (e.when == null) return e;
    }
    return null;
  }

  /** Takes the chosen edge: counts loop iterations, picks exhausted targets, emits the route. */
  private Next takeEdge(Scope s, CNode node, String key, Next routed, JsonNode out) {
    CEdge e = routed.edge;
    String reason = routed.reason;
    CNode target = e.to;
    if (e.isLoop()) {
      int taken = s.loops.getOrDefault(e.id, 0);
      if (taken < e.loopMax) {
        s.loops.put(e.id, taken + 1);
        JsonNode prior = s.state.get("$loops");
        ObjectNode loops = prior.isObject() ? ((ObjectNode) prior).deepCopy() : Json.NODES.objectNode();
        loops.set(e.id, CompiledWorkflow.loopStatus(taken + 1, e.loopMax));
        s.state.put("$loops", loops);
        if (listening) emit(new RunEvent.LoopIteration(runId, clock.instant(), e.id, taken + 1, e.loopMax));
        reason = "loop";
      } else {
        target = e.exhausted;
        reason = "exhausted";
      }
    }
    if (listening) emit(new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, target.id, e.id, reason));
    if (tracing.enabled) {
      List<String> candidates = new ArrayList<>(node.out.size());
      for (CEdge c : node.out) candidates.add(c.id);
      int remaining = e.isLoop() ? e.loopMax - s.loops.getOrDefault(e.id, 0) : -1;
      tracing.route(Span.current(), key, e.id, target.id, reason, candidates, remaining);
    }
    return new Next(target, null, out);
  }

  // ---------------------------------------------------------------- forks

  private Next fork(Scope s, CNode node, String key, int[] pos, JsonNode out, int attempts, long startedMillis, long t0,
      @Nullable StepContext ctx) {
    boolean replayed = ctx == null;
    List<Scope> children = new ArrayList<>();
    List<CNode> entries = new ArrayList<>();
    ForkGroup group = new ForkGroup(s.group);
    Context forkContext = tracing.enabled ? Context.current() : null;
    if (node.role == Role.BRANCH) {
      int i = 0;
      for (CEdge e : node.out) {
        int[] base = Arrays.copyOf(pos, pos.length + 1);
        base[pos.length] = i++;
        children.add(new Scope(group, s.wf, s.prefix + key + "[" + e.to.id + "]/", base, new StateMap(s.state),
            forkContext));
        entries.add(e.to);
        if (!replayed && listening) emit(new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, e.to.id, e.id, "branch"));
      }
    } else {
      JsonNode items = node.items != null ? node.items.read(s.roots) : out;
      if (!items.isArray()) {
        String msg = "split '" + node.id + "': " + (node.items != null ? "items '" + node.items + "'" : "the output")
            + " is " + (items.isMissingNode() ? "not in state" : "not an array: " + Json.brief(items));
        if (!replayed) {
          record(key, node, attempts, StepStatus.FAILED, NullNode.getInstance(), msg, startedMillis, t0, ctx.usage());
          steps.add(new StepEntry(pos, key, node.id, StepStatus.FAILED, attempts, startedMillis, System.nanoTime() - t0,
              NullNode.getInstance(), msg));
        }
        return errorRoute(s, node, key, msg, attempts, replayed);
      }
      CEdge e = node.out.get(0);
      for (int i = 0; i < items.size(); i++) {
        int[] base = Arrays.copyOf(pos, pos.length + 1);
        base[pos.length] = i;
        StateMap st = new StateMap(s.state);
        st.put("$item", items.get(i));
        st.put("$index", Json.NODES.numberNode(i));
        children.add(new Scope(group, s.wf, s.prefix + key + "[" + i + "]/", base, st, forkContext));
        entries.add(e.to);
      }
      if (!replayed && listening) emit(new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, e.to.id, e.id, "split"));
    }
    if (!replayed) {
      if (!record(key, node, attempts, StepStatus.COMPLETED, out, null, startedMillis, t0, ctx.usage(), ctx.withStep())) {
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
      steps.add(new StepEntry(pos, key, node.id, StepStatus.COMPLETED, attempts, startedMillis, System.nanoTime() - t0,
          out, null));
      if (listening) emit(new RunEvent.StepCompleted(runId, clock.instant(), key, node.id, attempts, Duration.ofNanos(System.nanoTime() - t0)));
      if (node.kind != null) s.state.put(node.id, out);
    }
    End[] ends = runChildren(group, children, entries, node.merge, node.continueOnFailure);

    // outcome of the fork, in child order (deterministic whatever the timing)
    End suspended = null;
    for (End e : ends) {
      if (e.kind == EndKind.STOPPED || stop != null) return new Next(null, End.STOPPED, NullNode.getInstance());
      if (e.kind == EndKind.REPLAY_END) return new Next(null, End.REPLAY_END, NullNode.getInstance());
    }
    if (s.cancelled()) return new Next(null, End.CANCELLED, NullNode.getInstance());
    for (End e : ends) {
      if (e.kind == EndKind.FAILED && !node.continueOnFailure) return new Next(null, e, NullNode.getInstance());
      if (e.kind == EndKind.SUSPENDED && suspended == null) suspended = e;
    }
    if (suspended != null) return new Next(null, suspended, NullNode.getInstance());

    JsonNode merged;
    if (node.role == Role.BRANCH) {
      ObjectNode o = Json.NODES.objectNode();
      for (int i = 0; i < ends.length; i++) {
        End e = ends[i];
        o.set(e.kind == EndKind.REACHED && e.lastNode != null ? e.lastNode : entries.get(i).id, branchValue(e));
      }
      merged = o;
    } else {
      ArrayNode a = Json.NODES.arrayNode(ends.length);
      for (End e : ends) a.add(branchValue(e));
      merged = a;
    }
    for (Scope c : children) {
      c.state.local().forEach((k, v) -> {
        if (!k.startsWith("$")) s.state.put(k, v);
      });
    }
    // the merge step: a sibling of the fork node's step in the trace
    CNode merge = node.merge;
    String mkey = s.key(merge);
    StepRecord mrec = recorded.isEmpty() ? null : recorded.get(mkey);
    Span mspan = mrec == null && tracing.enabled ? tracing.startNode(s.otel, runId, merge, mkey, budget.hops.get()) : null;
    MDC.put(MDC_STEP_KEY, mkey);
    io.opentelemetry.context.Scope current = mspan == null ? null : mspan.makeCurrent();
    try {
      return merge(s, merge, mkey, mrec, merged);
    } finally {
      if (current != null) current.close();
      MDC.put(MDC_STEP_KEY, key);
      Tracing.end(mspan);
    }
  }

  private Next merge(Scope s, CNode merge, String mkey, @Nullable StepRecord mrec, JsonNode merged) {
    int[] mpos = s.nextPos();
    long mStarted = clock.millis();
    long m0 = System.nanoTime();
    if (mrec == null && replay) return new Next(null, End.REPLAY_END, NullNode.getInstance());
    if (mrec == null) {
      String exceeded = budget.chargeHop(mkey);
      if (exceeded != null) {
        requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, exceeded, mkey));
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
      if (!record(mkey, merge, 1, StepStatus.COMPLETED, merged, null, mStarted, m0, ONE_HOP)) {
        return new Next(null, End.STOPPED, NullNode.getInstance());
      }
      roleOnlyEvents(mkey, merge, m0);
    }
    steps.add(new StepEntry(mpos, mkey, merge.id, StepStatus.COMPLETED, 1, mStarted, System.nanoTime() - m0, merged, null));
    s.state.put(merge.id, merged);
    putResumeInput(s, merge, mkey);
    if (merge.interrupt == InterruptMode.AFTER && !resumeInputs.containsKey(mkey)) {
      return suspend(merge, mkey, false);
    }
    Next routed = route(s, merge, mkey, merged);
    if (routed.end != null) return routed;
    return takeEdge(s, merge, mkey, routed, merged);
  }

  private static JsonNode branchValue(End e) {
    if (e.kind == EndKind.REACHED) return e.output;
    ObjectNode err = Json.NODES.objectNode();
    ObjectNode detail = err.putObject("$error");
    detail.put("step", e.stepKey);
    detail.put("message", e.message);
    return err;
  }

  private End[] runChildren(ForkGroup group, List<Scope> children, List<CNode> entries, CNode merge,
      boolean continueOnFailure) {
    int n = children.size();
    End[] ends = new End[n];
    if (n == 0) return ends;
    List<Future<?>> futures = new ArrayList<>(n);
    for (int i = 1; i < n; i++) {
      final int idx = i;
      futures.add(engine.threads().submit(() -> {
        Thread t = Thread.currentThread();
        register(t, group);
        MDC.put(MDC_RUN_ID, runId);
        try {
          ends[idx] = runChild(group, children.get(idx), entries.get(idx), merge, continueOnFailure);
        } finally {
          MDC.remove(MDC_RUN_ID);
          deregister(t, group);
          Thread.interrupted();
        }
      }));
    }
    Thread me = Thread.currentThread();
    register(me, group);
    try {
      ends[0] = runChild(group, children.get(0), entries.get(0), merge, continueOnFailure);
    } finally {
      deregister(me, group);
    }
    boolean interrupted = false;
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          log.error("run {}: a parallel branch failed unexpectedly", runId, e.getCause());
          break;
        }
      }
    }
    if (interrupted && stop != null) Thread.currentThread().interrupt();
    for (int i = 0; i < n; i++) {
      if (ends[i] == null) ends[i] = End.failed(FailureReason.NODE_FAILED, null, "internal error in a parallel branch");
    }
    return ends;
  }

  private End runChild(ForkGroup group, Scope child, CNode entry, CNode merge, boolean continueOnFailure) {
    End e;
    try {
      e = walk(child, entry, merge);
    } catch (RuntimeException | Error ex) {
      log.error("run {}: internal error in branch '{}'", runId, child.prefix, ex);
      e = End.failed(FailureReason.NODE_FAILED, null, "internal error: " + ex);
    }
    if (e.kind == EndKind.FAILED && !continueOnFailure) group.cancel();
    return e;
  }

  /** The events of a step whose node runs nothing (start, merge, exit). */
  private void roleOnlyEvents(String key, CNode node, long t0) {
    if (!listening) return;
    Instant now = clock.instant();
    emit(new RunEvent.StepStarted(runId, now, key, node.id));
    emit(new RunEvent.StepCompleted(runId, now, key, node.id, 1, Duration.ofNanos(System.nanoTime() - t0)));
  }

  // ---------------------------------------------------------------- recording

  private boolean record(String key, CNode node, int attempts, StepStatus status, JsonNode output,
      @Nullable String error, long startedMillis, long t0, BudgetUsage usage) {
    return record(key, node, attempts, status, output, error, startedMillis, t0, usage, List.of());
  }

  /**
   * Appends the step to the log; false if it could not be checkpointed (the run is then stopping,
   * and the step must not be reported as completed: it is not in the log).
   */
  private boolean record(String key, CNode node, int attempts, StepStatus status, JsonNode output,
      @Nullable String error, long startedMillis, long t0, BudgetUsage usage, List<CallRecord> withStep) {
    if (!recording) return true;
    Span span = tracing.enabled ? tracing.startCheckpoint(Span.current(), key) : null;
    try {
      // the step's own spend, with the run's active time so far: a resumed run continues its max_duration
      BudgetUsage spent = usage.withElapsed(Duration.ofMillis(budget.elapsedMillis()));
      runLog.appendStep(new StepRecord(runId, key, node.id, attempts, status, output, error,
          Instant.ofEpochMilli(startedMillis), Duration.ofNanos(System.nanoTime() - t0), spent), withStep);
      return true;
    } catch (CheckpointStoreException e) {
      Tracing.fail(span, e.getMessage(), e);
      checkpointFailed(key, e);
      return false;
    } finally {
      Tracing.end(span);
    }
  }

  /**
   * A step could not be checkpointed (the store failed, or another engine took the run over): the
   * run stops at once, as continuing would execute steps that can never be recorded. A store
   * failure fails the run; a takeover ({@link RunOwnedException}) does not: the result says
   * {@code RUNNING} with {@link FailureReason#OWNERSHIP_LOST}, and no status is recorded.
   */
  private void checkpointFailed(String key, CheckpointStoreException e) {
    checkpointBroken = true;
    if (e instanceof RunOwnedException owned) {
      // not a failure of the run: it continues under its new owner, which must not find FAILED
      // an expected outcome of a pause past the lease, not an error: one line, the trace at debug
      log.warn("run {}: step '{}' could not be checkpointed: {} took the run over; this engine stops executing it",
          runId, key, owned.owner());
      log.debug("run {}: step '{}': the refused write", runId, key, e);
      requestStop(new Stop(RunStatus.RUNNING, FailureReason.OWNERSHIP_LOST, "this engine lost ownership of run '"
          + runId + "' before step '" + key + "' could be checkpointed; the run continues under owner "
          + owned.owner() + " (" + e.getMessage() + ")", key));
      return;
    }
    log.warn("run {}: step '{}' could not be checkpointed; stopping the run", runId, key, e);
    requestStop(new Stop(RunStatus.FAILED, FailureReason.NODE_FAILED,
        "step '" + key + "' could not be checkpointed: " + e.getMessage(), key));
  }

  // ---------------------------------------------------------------- step context

  /** The context and input of one attempt of one step. */
  final class StepContext implements NodeContext, NodeInput, CallJournal, Budget {
    final Scope scope;
    final CNode node;
    final String key;
    final int attempt;
    final int[] pos;
    private @Nullable JsonNode value;
    private @Nullable List<CallRecord> withStep;
    private long llmCalls;
    private long toolCalls;
    private long inTokens;
    private long outTokens;
    private double cost;

    StepContext(Scope scope, CNode node, String key, int attempt, int[] pos) {
      this.scope = scope;
      this.node = node;
      this.key = key;
      this.attempt = attempt;
      this.pos = pos;
    }

    synchronized List<CallRecord> withStep() {
      return withStep == null ? List.of() : List.copyOf(withStep);
    }

    BudgetUsage usage() {
      if (llmCalls == 0 && toolCalls == 0) return ONE_HOP;
      return new BudgetUsage(1, inTokens, outTokens, cost, llmCalls, toolCalls, Duration.ZERO);
    }

    // NodeInput
    @Override
    public NodeSpec node() {
      return node.spec;
    }

    @Override
    public JsonNode get(String path) {
      return StatePath.parse(path).read(scope.roots);
    }

    @Override
    public JsonNode value() {
      if (value == null) {
        if (node.inputMapping != null) {
          ObjectNode o = Json.NODES.objectNode();
          node.inputMapping.forEach((k, p) -> o.set(k, p.read(scope.roots).isMissingNode() ? NullNode.getInstance()
              : p.read(scope.roots)));
          value = o;
        } else {
          value = scope.state.materialize();
        }
      }
      return value;
    }

    // NodeContext
    @Override
    public String runId() {
      return runId;
    }

    @Override
    public String workflowId() {
      return scope.wf.id;
    }

    @Override
    public String stepKey() {
      return key;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Budget budget() {
      return this;
    }

    @Override
    public CallJournal calls() {
      return this;
    }

    @Override
    public Manifests manifests() {
      return engine.manifests;
    }

    @Override
    public boolean isCancelled() {
      return scope.cancelled();
    }

    @Override
    public void publish(RunEvent event) {
      emit(event);
    }

    // CallJournal
    @Override
    public Optional<CallRecord> replayed(int index) {
      List<CallRecord> calls = recordedCalls.computeIfAbsent(key, runLog::calls);
      for (CallRecord c : calls) {
        if (c.index() == index) return Optional.of(c);
      }
      return Optional.empty();
    }

    @Override
    public void record(CallRecord record) {
      if (!record.stepKey().equals(key)) {
        throw new IllegalArgumentException("call record of step '" + record.stepKey() + "' given to step '" + key + "'");
      }
      try {
        runLog.appendCall(record);
      } catch (RunOwnedException e) {
        // another engine owns the run now: stop at once (no retry of this step), whatever the
        // executor does with the exception
        checkpointFailed(key, e);
        throw e;
      }
    }

    @Override
    public synchronized void recordWithStep(CallRecord record) {
      if (!record.stepKey().equals(key)) {
        throw new IllegalArgumentException("call record of step '" + record.stepKey() + "' given to step '" + key + "'");
      }
      if (withStep == null) withStep = new ArrayList<>();
      withStep.add(record);
    }

    // Budget
    @Override
    public BudgetLimits limits() {
      return budget.limits();
    }

    @Override
    public BudgetUsage used() {
      return budget.used();
    }

    @Override
    public void checkLlmCall() {
      budget.checkLlmCall();
    }

    @Override
    public void checkToolCall() {
      budget.checkToolCall();
    }

    @Override
    public synchronized void chargeLlmCall(long inputTokens, long outputTokens, double costUsd) {
      budget.chargeLlmCall(inputTokens, outputTokens, costUsd);
      llmCalls++;
      inTokens += inputTokens;
      outTokens += outputTokens;
      cost += costUsd;
    }

    @Override
    public synchronized void chargeToolCall() {
      budget.chargeToolCall();
      toolCalls++;
    }
  }
}
