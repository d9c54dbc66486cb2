package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetExceededException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.internal.RunExecution.StepEntry;
import dev.agentrt.core.internal.RunExecution.Stop;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.StepRecord;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Walks a scope of a run step by step: executes each step (or takes it from the log), retries it,
 * routes on, and hands branches and splits to {@link ForkJoin}. A step's node runs through the
 * executor of its kind, found in the one kind table ({@link NodeKinds}).
 */
final class StepRunner {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

  /** {@link #store}: the step could not be checkpointed and the run stops. */
  private static final NodeOutcome.Failed NOT_RECORDED =
      new NodeOutcome.Failed("not recorded", null, false);

  private final RunExecution run;
  private final String runId;
  private final Clock clock;
  private final Tracing tracing;
  private final RunBudget budget;
  private final boolean replay;

  StepRunner(RunExecution run) {
    this.run = run;
    this.runId = run.runId;
    this.clock = run.clock;
    this.tracing = run.tracing;
    this.budget = run.budget;
    this.replay = run.replay;
  }

  /**
   * Walks {@code s} from {@code first} until {@code stopAt} (a fork's merge), an exit or a stop.
   */
  End walk(Scope s, CNode first, @Nullable CNode stopAt) {
    CNode node = first;
    CNode prev = null;
    JsonNode last = NullNode.getInstance();
    while (true) {
      if (node == stopAt) {
        return new End(EndKind.REACHED, last, prev == null ? null : prev.id, null, null, null);
      }
      if (s.cancelled()) return stopOrCancel();
      Next next = step(s, node);
      if (next.end != null) return next.end;
      prev = node.role == Role.BRANCH || node.role == Role.SPLIT ? node.merge : node;
      last = next.output;
      node = next.node;
    }
  }

  private End stopOrCancel() {
    return run.isStopping() ? End.STOPPED : End.CANCELLED;
  }

  /**
   * Executes {@code node} (and, for a branch or split, everything up to and including its merge).
   */
  private Next step(Scope s, CNode node) {
    String key = s.key(node);
    run.lastStepKey = key;
    int[] pos = s.nextPos();
    StepRecord rec = run.recorded.isEmpty() ? null : run.recorded.get(key);
    if (rec == null && replay) return Next.end(End.REPLAY_END);
    if (rec == null) {
      String exceeded = budget.chargeHop(key);
      if (exceeded != null) {
        run.requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, exceeded, key));
        return Next.end(End.STOPPED);
      }
    }
    Span span =
        rec == null && tracing.enabled
            ? tracing.startNode(s.otel, runId, node, key, budget.hops.get())
            : null;
    MDC.put(RunExecution.MDC_STEP_KEY, key);
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
      MDC.remove(RunExecution.MDC_STEP_KEY);
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
        return Next.end(End.failed(FailureReason.INVALID_OUTPUT, key, msg));
      }
      // deferrable: committed with the run's next write (at the end, with its final status in
      // RunLog.finish); a run that crashed before evaluates the same output from the same logged
      // state when it resumes
      if (!run.recorder.recordRoleOnly(key, node, out, startedMillis, t0)) {
        return Next.end(End.STOPPED);
      }
      run.recorder.roleOnlyEvents(key, node, t0);
    }
    run.steps.add(
        new StepEntry(
            pos,
            key,
            node.id,
            StepStatus.COMPLETED,
            1,
            startedMillis,
            System.nanoTime() - t0,
            out,
            null));
    return new Next(null, new End(EndKind.EXITED, out, node.id, null, null, null), out);
  }

  private Next execute(Scope s, CNode node, String key, int[] pos, @Nullable StepRecord rec) {
    long startedMillis = clock.millis();
    long t0 = System.nanoTime();
    if (rec != null) return fromLog(s, node, key, pos, rec);
    Next waiting = waitBefore(s, node, key);
    if (waiting != null) return waiting;
    for (int attempt = 1; ; attempt++) {
      StepContext ctx = new StepContext(s, node, key, attempt, pos);
      NodeOutcome outcome;
      try {
        outcome = body(ctx);
      } catch (BudgetExceededException e) {
        run.requestStop(
            new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, e.getMessage(), key));
        return Next.end(End.STOPPED);
      } catch (InterruptedException e) {
        outcome = new NodeOutcome.Failed("interrupted", e, false);
      } catch (Exception e) {
        outcome = new NodeOutcome.Failed(describe(e), e, true);
      }
      if (s.cancelled()) {
        Thread.interrupted();
        return Next.end(stopOrCancel());
      }
      if (outcome instanceof NodeOutcome.Completed c) {
        JsonNode out = c.output();
        if (node.role == Role.BRANCH || node.role == Role.SPLIT) {
          return run.forks.fork(s, node, key, pos, out, attempt, startedMillis, t0, ctx);
        }
        Next routed = run.router.route(s, node, key, out);
        if (routed.end != null && routed.end.kind == EndKind.FAILED) {
          outcome = new NodeOutcome.Failed(routed.end.message, null, false);
        } else {
          NodeOutcome.Failed unstorable = store(ctx, out, startedMillis, t0);
          if (unstorable == NOT_RECORDED) return Next.end(End.STOPPED);
          if (unstorable == null)
            return recorded(
                s,
                node,
                key,
                pos,
                attempt,
                startedMillis,
                t0,
                routed.recommended(ctx.recommendedRoute()),
                out);
          outcome = unstorable;
        }
      }
      if (outcome instanceof NodeOutcome.Suspended sus) {
        run.recorder.appendSuspended(node, key);
        return Next.end(End.suspended(sus.reason(), key, "step '" + key + "': " + sus.message()));
      }
      NodeOutcome.Failed f = (NodeOutcome.Failed) outcome;
      if (!f.retryable() || attempt >= node.maxAttempts)
        return failed(s, ctx, f, startedMillis, t0);
      if (!backoff(ctx, f)) return Next.end(stopOrCancel());
    }
  }

  /** Runs one attempt through the executor of the node's kind (from the one kind table). */
  private static NodeOutcome body(StepContext ctx) throws Exception {
    CNode node = ctx.node;
    if (node.kind == null) return new NodeOutcome.Completed(NullNode.getInstance());
    NodeOutcome o = node.executor.execute(ctx, ctx);
    if (o == null)
      return new NodeOutcome.Failed(
          "executor of kind '" + node.kind + "' returned no outcome", null, false);
    return o;
  }

  /**
   * Before a step executes: puts its resume input into state, waits at an {@code interrupt:
   * before}, and announces the step.
   *
   * @return how the walk ends if the run waits here, else null
   */
  private @Nullable Next waitBefore(Scope s, CNode node, String key) {
    // any step the run waited at (an interrupt, or an executor's Suspended outcome) sees the resume
    // input
    boolean resumed = putResumeInput(s, node, key);
    if (!resumed && node.interrupt == InterruptMode.BEFORE) {
      // a run resumed without input continues at the interrupts it waited at, not at new ones
      if (!run.resumedWithoutInput || !run.suspendedKeys.contains(key)) {
        return suspend(node, key, true);
      }
      if (!run.recorder.appendResumed(node, key)) return Next.end(End.STOPPED);
      putResumeInput(s, node, key);
    }
    if (run.listening()) run.emit(new RunEvent.StepStarted(runId, clock.instant(), key, node.id));
    return null;
  }

  /** A step already in the log: report it and continue as it did, without executing it. */
  private Next fromLog(Scope s, CNode node, String key, int[] pos, StepRecord rec) {
    run.steps.add(
        new StepEntry(
            pos,
            key,
            node.id,
            rec.status(),
            rec.attempts(),
            rec.startedAt().toEpochMilli(),
            rec.duration().toNanos(),
            rec.output(),
            rec.error()));
    if (rec.status() == StepStatus.FAILED)
      return errorRoute(s, node, key, rec.error(), rec.attempts(), true);
    putResumeInput(s, node, key);
    if (node.interrupt == InterruptMode.AFTER && !run.resumeInputs.containsKey(key)) {
      s.state.put(node.id, rec.output());
      return suspend(node, key, false);
    }
    return complete(s, node, key, pos, rec.output(), rec.attempts(), true);
  }

  /**
   * Checkpoints a completed step.
   *
   * @return null if it is in the log, {@link #NOT_RECORDED} if the log refused it (the run stops),
   *     else the failure of a step whose output the store cannot hold
   */
  private NodeOutcome.@Nullable Failed store(
      StepContext ctx, JsonNode out, long startedMillis, long t0) {
    try {
      boolean recorded =
          run.recorder.record(
              ctx.key,
              ctx.node,
              ctx.attempt,
              StepStatus.COMPLETED,
              out,
              null,
              startedMillis,
              t0,
              ctx.usage(),
              ctx.withStep());
      return recorded ? null : NOT_RECORDED;
    } catch (IllegalArgumentException e) {
      // the store cannot hold this output (RunLog.appendStep): a failure of the step, not of the
      // engine
      return new NodeOutcome.Failed(
          "its output cannot be checkpointed ("
              + e.getMessage()
              + "); return a smaller or flatter value",
          e,
          false);
    }
  }

  /** Announces a retry and waits its backoff; false if the run was stopped meanwhile. */
  private boolean backoff(StepContext ctx, NodeOutcome.Failed f) {
    CNode node = ctx.node;
    Duration backoff = node.retry == null ? Duration.ZERO : node.retry.backoffAfter(ctx.attempt);
    if (run.listening()) {
      run.emit(
          new RunEvent.StepRetried(
              runId, clock.instant(), ctx.key, node.id, ctx.attempt, f.message(), backoff));
    }
    return backoff.isZero() || run.sleep(backoff);
  }

  /** The step failed for good: record it and take its {@code $error} edge, or fail the walk. */
  private Next failed(Scope s, StepContext ctx, NodeOutcome.Failed f, long startedMillis, long t0) {
    CNode node = ctx.node;
    String key = ctx.key;
    int attempt = ctx.attempt;
    String message = f.message();
    run.recorder.record(
        key,
        node,
        attempt,
        StepStatus.FAILED,
        NullNode.getInstance(),
        message,
        startedMillis,
        t0,
        ctx.usage());
    run.steps.add(
        new StepEntry(
            ctx.pos,
            key,
            node.id,
            StepStatus.FAILED,
            attempt,
            startedMillis,
            System.nanoTime() - t0,
            NullNode.getInstance(),
            message));
    if (run.listening())
      run.emit(new RunEvent.StepFailed(runId, clock.instant(), key, node.id, attempt, message));
    if (tracing.enabled) Tracing.fail(Span.current(), message, f.cause());
    if (f.cause() != null && !(f.cause() instanceof InterruptedException)) {
      log.debug("run {} step '{}' failed", runId, key, f.cause());
    }
    return errorRoute(s, node, key, message, attempt, false);
  }

  /** A completed step is in the log: report it, fold its output into state, and continue. */
  private Next recorded(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      int attempt,
      long startedMillis,
      long t0,
      Next routed,
      JsonNode out) {
    run.completedStep(pos, key, node, attempt, startedMillis, t0, out);
    s.state.put(node.id, out);
    if (node.interrupt == InterruptMode.AFTER && !run.resumeInputs.containsKey(key)) {
      return suspend(node, key, false);
    }
    return run.router.takeEdge(s, node, key, routed, out);
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getName() : m;
  }

  /**
   * Puts the input the run was resumed with at {@code state.$resume.<node>}, whether the step runs
   * now or is replayed from the log (so later steps see the same state either way).
   *
   * @return whether the step was resumed with an input
   */
  boolean putResumeInput(Scope s, CNode node, String key) {
    if (run.resumeInputs.isEmpty()) return false;
    JsonNode given = run.resumeInputs.get(key);
    if (given == null) return false;
    JsonNode prior = s.state.get("$resume");
    ObjectNode r = prior.isObject() ? ((ObjectNode) prior).deepCopy() : Json.NODES.objectNode();
    r.set(node.id, given);
    s.state.put("$resume", r);
    return true;
  }

  Next suspend(CNode node, String key, boolean before) {
    run.recorder.appendSuspended(node, key);
    return Next.end(End.suspended(FailureReason.INTERRUPTED, key, node.waitMessage(key, before)));
  }

  Next errorRoute(
      Scope s, CNode node, String key, @Nullable String message, int attempts, boolean replayed) {
    if (node.errorEdge == null) {
      String msg =
          "step '"
              + key
              + "' (node '"
              + node.id
              + "') failed"
              + (attempts > 1 ? " after " + attempts + " attempts" : "")
              + ": "
              + message;
      return Next.end(End.failed(FailureReason.NODE_FAILED, key, msg));
    }
    ObjectNode err = Json.NODES.objectNode();
    err.put("node", node.id);
    err.put("step", key);
    err.put("message", message);
    err.put("attempts", attempts);
    s.state.put("$error", err);
    if (!replayed) {
      run.emit(
          new RunEvent.RouteTaken(
              runId,
              clock.instant(),
              key,
              node.id,
              node.errorEdge.to.id,
              node.errorEdge.id,
              "$error"));
    }
    return new Next(node.errorEdge.to, null, NullNode.getInstance());
  }

  /** Records the step of a role-only start node and routes on. */
  private Next afterStep(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      @Nullable StepRecord rec,
      JsonNode out,
      int attempts) {
    long startedMillis = clock.millis();
    long t0 = System.nanoTime();
    if (rec == null) {
      // deferrable: committed with the run's first step that ran something; a run that crashed
      // before redoes it (null output, one hop) when it resumes
      if (!run.recorder.recordRoleOnly(key, node, out, startedMillis, t0)) {
        return Next.end(End.STOPPED);
      }
      run.recorder.roleOnlyEvents(key, node, t0);
    }
    run.steps.add(
        new StepEntry(
            pos, key, node.id, StepStatus.COMPLETED, attempts, startedMillis, 0, out, null));
    return complete(s, node, key, pos, out, attempts, rec != null);
  }

  private Next complete(
      Scope s, CNode node, String key, int[] pos, JsonNode out, int attempts, boolean replayed) {
    if (node.kind != null) s.state.put(node.id, out);
    if (node.role == Role.BRANCH || node.role == Role.SPLIT) {
      return run.forks.fork(
          s, node, key, pos, out, attempts, clock.millis(), System.nanoTime(), null);
    }
    Next routed = run.router.route(s, node, key, out);
    if (routed.end != null) return routed;
    return run.router.takeEdge(s, node, key, routed, out);
  }
}
