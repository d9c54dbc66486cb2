package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.internal.CompiledWorkflow.CEdge;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.internal.RunExecution.StepEntry;
import dev.agentrt.core.internal.RunExecution.Stop;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.spi.StepRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Branches and splits: forks a step's children onto threads (the first on the calling thread),
 * waits for all of them, and records the merge step that joins their outputs in child order
 * (deterministic whatever the timing). Under {@code scheduler.max_parallel_branches} the children
 * of all the run's forks share that many slots (see {@link BranchSlots}).
 */
final class ForkJoin {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

  private final RunExecution run;
  private final String runId;
  private final Clock clock;
  private final Tracing tracing;

  /** The run's branch slots; null when branches fan out without limit. */
  private final @Nullable BranchSlots slots;

  ForkJoin(RunExecution run) {
    this.run = run;
    this.runId = run.runId;
    this.clock = run.clock;
    this.tracing = run.tracing;
    this.slots = BranchSlots.of(run.engine.manifests.config().scheduler());
  }

  /**
   * Forks the children of a branch or split step whose output is {@code out}, joins them and
   * continues after the merge.
   *
   * @param ctx the step's context, or null if the step was taken from the log
   */
  Next fork(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      JsonNode out,
      int attempts,
      long startedMillis,
      long t0,
      @Nullable StepContext ctx) {
    boolean replayed = ctx == null;
    List<Scope> children = new ArrayList<>();
    List<CNode> entries = new ArrayList<>();
    ForkGroup group = new ForkGroup(run.lock, s.group);
    Context forkContext = tracing.enabled ? Context.current() : null;
    if (node.role == Role.BRANCH) {
      branches(s, node, key, pos, group, forkContext, replayed, children, entries);
    } else {
      JsonNode items = node.items != null ? node.items.read(s.roots) : out;
      if (!items.isArray())
        return notAnArray(s, node, key, pos, items, attempts, startedMillis, t0, ctx);
      splits(s, node, key, pos, items, group, forkContext, replayed, children, entries);
    }
    if (!replayed) {
      if (!run.recorder.record(
          key,
          node,
          attempts,
          StepStatus.COMPLETED,
          out,
          null,
          startedMillis,
          t0,
          ctx.usage(),
          ctx.withStep())) {
        return Next.end(End.STOPPED);
      }
      run.completedStep(pos, key, node, attempts, startedMillis, t0, out);
      if (node.kind != null) s.state.put(node.id, out);
    }
    End[] ends = runChildren(s, group, children, entries, node.merge, node.continueOnFailure);
    Next ended = outcome(s, node, ends);
    if (ended != null) return ended;
    JsonNode merged = merged(node, ends, entries);
    for (Scope c : children) {
      c.state
          .local()
          .forEach(
              (k, v) -> {
                if (!k.startsWith("$")) s.state.put(k, v);
              });
    }
    return mergeStep(s, node.merge, key, merged);
  }

  private void branches(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      ForkGroup group,
      @Nullable Context forkContext,
      boolean replayed,
      List<Scope> children,
      List<CNode> entries) {
    int i = 0;
    for (CEdge e : node.out) {
      int[] base = Arrays.copyOf(pos, pos.length + 1);
      base[pos.length] = i++;
      children.add(
          new Scope(
              run,
              group,
              s.wf,
              s.prefix + key + "[" + e.to.id + "]/",
              base,
              new StateMap(s.state),
              forkContext));
      entries.add(e.to);
      if (!replayed && run.listening()) {
        run.emit(
            new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, e.to.id, e.id, "branch"));
      }
    }
  }

  private void splits(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      JsonNode items,
      ForkGroup group,
      @Nullable Context forkContext,
      boolean replayed,
      List<Scope> children,
      List<CNode> entries) {
    CEdge e = node.out.get(0);
    for (int i = 0; i < items.size(); i++) {
      int[] base = Arrays.copyOf(pos, pos.length + 1);
      base[pos.length] = i;
      StateMap st = new StateMap(s.state);
      st.put("$item", items.get(i));
      st.put("$index", Json.NODES.numberNode(i));
      children.add(
          new Scope(run, group, s.wf, s.prefix + key + "[" + i + "]/", base, st, forkContext));
      entries.add(e.to);
    }
    if (!replayed && run.listening()) {
      run.emit(
          new RunEvent.RouteTaken(runId, clock.instant(), key, node.id, e.to.id, e.id, "split"));
    }
  }

  /** A split whose items are not an array fails (and may take its {@code $error} edge). */
  private Next notAnArray(
      Scope s,
      CNode node,
      String key,
      int[] pos,
      JsonNode items,
      int attempts,
      long startedMillis,
      long t0,
      @Nullable StepContext ctx) {
    String msg =
        "split '"
            + node.id
            + "': "
            + (node.items != null ? "items '" + node.items + "'" : "the output")
            + " is "
            + (items.isMissingNode() ? "not in state" : "not an array: " + Json.brief(items));
    if (ctx != null) {
      run.recorder.record(
          key,
          node,
          attempts,
          StepStatus.FAILED,
          NullNode.getInstance(),
          msg,
          startedMillis,
          t0,
          ctx.usage());
      run.steps.add(
          new StepEntry(
              pos,
              key,
              node.id,
              StepStatus.FAILED,
              attempts,
              startedMillis,
              System.nanoTime() - t0,
              NullNode.getInstance(),
              msg));
    }
    return run.runner.errorRoute(s, node, key, msg, attempts, ctx == null);
  }

  /**
   * How the fork ends if not at its merge: stopped, cancelled, failed or waiting; null to merge.
   */
  private @Nullable Next outcome(Scope s, CNode node, End[] ends) {
    End suspended = null;
    for (End e : ends) {
      if (e.kind == EndKind.STOPPED || run.isStopping()) return Next.end(End.STOPPED);
      if (e.kind == EndKind.REPLAY_END) return Next.end(End.REPLAY_END);
    }
    if (s.cancelled()) return Next.end(End.CANCELLED);
    for (End e : ends) {
      if (e.kind == EndKind.FAILED && !node.continueOnFailure) return Next.end(e);
      if (e.kind == EndKind.SUSPENDED && suspended == null) suspended = e;
    }
    return suspended != null ? Next.end(suspended) : null;
  }

  /** The merge's output: branch outputs by last node, or split outputs in item order. */
  private static JsonNode merged(CNode node, End[] ends, List<CNode> entries) {
    if (node.role == Role.BRANCH) {
      ObjectNode o = Json.NODES.objectNode();
      for (int i = 0; i < ends.length; i++) {
        End e = ends[i];
        o.set(
            e.kind == EndKind.REACHED && e.lastNode != null ? e.lastNode : entries.get(i).id,
            branchValue(e));
      }
      return o;
    }
    ArrayNode a = Json.NODES.arrayNode(ends.length);
    for (End e : ends) a.add(branchValue(e));
    return a;
  }

  /** The merge step: a sibling of the fork node's step in the trace. */
  private Next mergeStep(Scope s, CNode merge, String forkKey, JsonNode merged) {
    String mkey = s.key(merge);
    StepRecord mrec = run.recorded.isEmpty() ? null : run.recorded.get(mkey);
    Span mspan =
        mrec == null && tracing.enabled
            ? tracing.startNode(s.otel, runId, merge, mkey, run.budget.hops.get())
            : null;
    MDC.put(RunExecution.MDC_STEP_KEY, mkey);
    io.opentelemetry.context.Scope current = mspan == null ? null : mspan.makeCurrent();
    try {
      return merge(s, merge, mkey, mrec, merged);
    } finally {
      if (current != null) current.close();
      MDC.put(RunExecution.MDC_STEP_KEY, forkKey);
      Tracing.end(mspan);
    }
  }

  private Next merge(
      Scope s, CNode merge, String mkey, @Nullable StepRecord mrec, JsonNode merged) {
    int[] mpos = s.nextPos();
    long mStarted = clock.millis();
    long m0 = System.nanoTime();
    if (mrec == null && run.replay) return Next.end(End.REPLAY_END);
    if (mrec == null) {
      String exceeded = run.budget.chargeHop(mkey);
      if (exceeded != null) {
        run.requestStop(new Stop(RunStatus.FAILED, FailureReason.BUDGET_EXCEEDED, exceeded, mkey));
        return Next.end(End.STOPPED);
      }
      if (!run.recorder.record(
          mkey, merge, 1, StepStatus.COMPLETED, merged, null, mStarted, m0, StepContext.ONE_HOP)) {
        return Next.end(End.STOPPED);
      }
      run.recorder.roleOnlyEvents(mkey, merge, m0);
    }
    run.steps.add(
        new StepEntry(
            mpos,
            mkey,
            merge.id,
            StepStatus.COMPLETED,
            1,
            mStarted,
            System.nanoTime() - m0,
            merged,
            null));
    s.state.put(merge.id, merged);
    run.runner.putResumeInput(s, merge, mkey);
    if (merge.interrupt == InterruptMode.AFTER && !run.resumeInputs.containsKey(mkey)) {
      return run.runner.suspend(merge, mkey, false);
    }
    Next routed = run.router.route(s, merge, mkey, merged);
    if (routed.end != null) return routed;
    return run.router.takeEdge(s, merge, mkey, routed, merged);
  }

  private static JsonNode branchValue(End e) {
    if (e.kind == EndKind.REACHED) return e.output;
    ObjectNode err = Json.NODES.objectNode();
    ObjectNode detail = err.putObject("$error");
    detail.put("step", e.stepKey);
    detail.put("message", e.message);
    return err;
  }

  /**
   * Runs the children and waits for them. A parent holding a branch slot gives it back while it
   * waits and takes one again afterwards (so nested forks cannot deadlock).
   */
  private End[] runChildren(
      Scope parent,
      ForkGroup group,
      List<Scope> children,
      List<CNode> entries,
      CNode merge,
      boolean continueOnFailure) {
    int n = children.size();
    End[] ends = new End[n];
    if (n == 0) return ends;
    BranchSlots limit = slots;
    if (limit == null) {
      runAll(group, children, entries, merge, continueOnFailure, ends);
    } else {
      boolean hadSlot = limit.suspend();
      try {
        runBounded(limit, group, children, entries, merge, continueOnFailure, ends);
      } finally {
        if (hadSlot) limit.acquire(parent);
      }
    }
    for (int i = 0; i < n; i++) {
      if (ends[i] == null)
        ends[i] =
            End.failed(FailureReason.NODE_FAILED, null, "internal error in a parallel branch");
    }
    return ends;
  }

  /** Without a limit: one thread per child, the first on the calling thread. */
  private void runAll(
      ForkGroup group,
      List<Scope> children,
      List<CNode> entries,
      CNode merge,
      boolean continueOnFailure,
      End[] ends) {
    int n = children.size();
    List<Future<?>> futures = new ArrayList<>(n);
    for (int i = 1; i < n; i++) {
      final int idx = i;
      futures.add(
          submit(
              group,
              () ->
                  ends[idx] =
                      runChild(
                          group, children.get(idx), entries.get(idx), merge, continueOnFailure)));
    }
    Thread me = Thread.currentThread();
    run.register(me, group);
    try {
      ends[0] = runChild(group, children.get(0), entries.get(0), merge, continueOnFailure);
    } finally {
      run.deregister(me, group);
    }
    awaitAll(futures);
  }

  /**
   * Under {@code max_parallel_branches}: at most that many workers (the calling thread one of them)
   * take the children in order, each child holding a slot while it walks.
   */
  private void runBounded(
      BranchSlots limit,
      ForkGroup group,
      List<Scope> children,
      List<CNode> entries,
      CNode merge,
      boolean continueOnFailure,
      End[] ends) {
    int n = children.size();
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            Scope child = children.get(i);
            limit.acquire(child); // false if cancelled: the walk then ends at once
            try {
              ends[i] = runChild(group, child, entries.get(i), merge, continueOnFailure);
            } finally {
              limit.release();
            }
          }
        };
    int workers = Math.min(n, limit.limit());
    List<Future<?>> futures = new ArrayList<>(workers - 1);
    for (int w = 1; w < workers; w++) futures.add(submit(group, worker));
    Thread me = Thread.currentThread();
    run.register(me, group);
    try {
      worker.run();
    } finally {
      run.deregister(me, group);
    }
    awaitAll(futures);
  }

  /** Runs {@code body} on a run thread registered with {@code group}. */
  private Future<?> submit(ForkGroup group, Runnable body) {
    return run.engine
        .threads()
        .submit(
            () -> {
              Thread t = Thread.currentThread();
              run.register(t, group);
              MDC.put(RunExecution.MDC_RUN_ID, runId);
              try {
                body.run();
              } finally {
                MDC.remove(RunExecution.MDC_RUN_ID);
                run.deregister(t, group);
                Thread.interrupted();
              }
            });
  }

  /**
   * Waits for every forked child, even when interrupted (the interrupt is kept if the run stops).
   */
  private void awaitAll(List<Future<?>> futures) {
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
    if (interrupted && run.isStopping()) Thread.currentThread().interrupt();
  }

  private End runChild(
      ForkGroup group, Scope child, CNode entry, CNode merge, boolean continueOnFailure) {
    End e;
    try {
      e = run.runner.walk(child, entry, merge);
    } catch (RuntimeException | Error ex) {
      log.error("run {}: internal error in branch '{}'", runId, child.prefix, ex);
      e = End.failed(FailureReason.NODE_FAILED, null, "internal error: " + ex);
    }
    if (e.kind == EndKind.FAILED && !continueOnFailure) group.cancel();
    return e;
  }
}
