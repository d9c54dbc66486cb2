package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.QueueFullException;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.SchedulerSpec;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission ({@code scheduler:} in config.yml): at most {@code max_concurrency} runs of the runtime
 * execute at once; the others wait in one queue, the highest priority first and first come first
 * served within a priority. A caller of {@code run}, {@code resume} or {@code fork} waits on its
 * own thread; a started or enqueued run waits as a {@link Ticket}, stored as {@code QUEUED} when
 * the store has a queue, and is claimed from the store when a slot frees. At most {@code
 * max_queue_size} runs wait; one more is refused ({@link QueueFullException}) or waits for room.
 * Workers and recovery ({@link Claimer}) take slots like any caller, without counting as queued.
 *
 * <p>Without a {@code max_concurrency} every method admits at once and costs nothing. Thread-safe:
 * the queue and the counts are guarded by this object's monitor.
 */
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private static final Comparator<Waiter> ORDER =
      Comparator.comparingInt((Waiter w) -> -w.priority).thenComparingLong(w -> w.seq);

  private final Engine engine;
  private final boolean limited;
  private final int maxConcurrency;
  private final int maxQueue;
  private final boolean blockWhenFull;
  private final DoubleHistogram waitSeconds;

  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(ORDER);
  private int active;
  private int queued;
  private long arrivals;
  private boolean closed;

  Scheduler(Engine engine, @Nullable SchedulerSpec spec, OpenTelemetry otel) {
    this.engine = engine;
    this.limited = spec != null && spec.maxConcurrency() != null;
    this.maxConcurrency = limited ? spec.maxConcurrency() : Integer.MAX_VALUE;
    this.maxQueue =
        spec == null ? SchedulerSpec.DEFAULT_MAX_QUEUE_SIZE : spec.maxQueueSizeOrDefault();
    this.blockWhenFull = spec != null && spec.blocksWhenFull();
    Meter meter =
        otel.getMeterProvider()
            .meterBuilder("dev.agentrt.core")
            .setInstrumentationVersion(Engine.VERSION)
            .build();
    this.waitSeconds =
        meter
            .histogramBuilder("agentrt.queue.wait")
            .setUnit("s")
            .setDescription("How long runs waited in the queue before they executed.")
            .build();
    meter
        .gaugeBuilder("agentrt.queue.depth")
        .ofLongs()
        .setUnit("{run}")
        .setDescription("Runs waiting in this runtime's queue for a slot.")
        .buildWithCallback(m -> m.record(depth()));
  }

  /** Runs waiting for a slot in this runtime (tickets and callers of run/resume/fork). */
  synchronized int depth() {
    return queued;
  }

  // ------------------------------------------------------------------ slots for callers

  /**
   * Takes a slot for the calling thread, waiting in the queue if none is free.
   *
   * @param counted whether the caller counts towards {@code max_queue_size} while it waits (a run
   *     does; a worker looking for work does not)
   * @throws QueueFullException if the queue is full and {@code on_full} is {@code reject}
   */
  void acquire(int priority, boolean counted) {
    if (!limited) return;
    Caller c;
    synchronized (this) {
      checkOpen();
      if (active < maxConcurrency && waiting.isEmpty()) {
        active++;
        return;
      }
      if (counted) reserve();
      c = new Caller(priority, arrivals++, counted);
      waiting.add(c);
      try {
        while (!c.granted) {
          if (closed) {
            waiting.remove(c);
            if (counted) queued--;
            checkOpen();
          }
          wait();
        }
      } catch (InterruptedException e) {
        if (c.granted) {
          active--;
        } else {
          waiting.remove(c);
          if (counted) queued--;
        }
        List<Ticket> start = grant();
        notifyAll();
        Thread.currentThread().interrupt();
        dispatchLater(start);
        throw new AgentrtException("interrupted while waiting for a free run slot", e);
      }
    }
  }

  /** Takes a slot if one is free and nobody waits; never waits. */
  synchronized boolean tryAcquire() {
    if (!limited) return true;
    checkOpen();
    if (active < maxConcurrency && waiting.isEmpty()) {
      active++;
      return true;
    }
    return false;
  }

  /** Gives a slot back; the next in the queue gets it. */
  void release() {
    if (!limited) return;
    List<Ticket> start;
    synchronized (this) {
      active--;
      start = grant();
      notifyAll();
    }
    dispatch(start);
  }

  /** Takes a place in the queue, or refuses; the caller holds the monitor. */
  private void reserve() {
    while (queued >= maxQueue) {
      if (!blockWhenFull) {
        throw new QueueFullException(
            maxQueue,
            "the run queue is full ("
                + maxQueue
                + " runs wait for one of "
                + maxConcurrency
                + " slots); retry later, or raise scheduler.max_queue_size or"
                + " scheduler.max_concurrency in config.yml (or set on_full: block)");
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentrtException("interrupted while waiting for room in the run queue", e);
      }
      checkOpen();
    }
    queued++;
  }

  /** Hands free slots to the head of the queue; the caller holds the monitor. */
  private List<Ticket> grant() {
    List<Ticket> start = List.of();
    while (active < maxConcurrency && !waiting.isEmpty()) {
      Waiter w = waiting.poll();
      active++;
      if (w.counted) queued--;
      if (w instanceof Caller c) {
        c.granted = true;
      } else {
        if (start.isEmpty()) start = new ArrayList<>(2);
        start.add((Ticket) w);
      }
    }
    return start;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the AgentRuntime is closed: it starts, runs and resumes no more runs (build a new one)");
    }
  }

  // ------------------------------------------------------------------ queued runs

  /**
   * Queues a new run: it is stored as {@code QUEUED} (when the store has a queue) and starts when a
   * slot is free.
   *
   * @param run the run as it would start (status {@code RUNNING}), already validated
   */
  Ticket enqueue(RunRecord run, RunListener own) {
    synchronized (this) {
      checkOpen();
      reserve();
    }
    return queueHere(run, own);
  }

  /**
   * Stores a new run as queued for the workers sharing the store; this runtime does not start it.
   * The handle completes when the store shows the run ended.
   */
  Ticket leaveToWorkers(RunRecord run, RunListener own) {
    synchronized (this) {
      checkOpen();
    }
    if (!engine.store().hasQueue()) {
      throw new IllegalStateException(
          "the checkpoint store "
              + engine.store().getClass().getName()
              + " has no run queue: a run left to workers needs the in-memory, SQLite or"
              + " PostgreSQL store");
    }
    engine.storeQueued(
        run.withStatus(
            RunStatus.QUEUED, null, null, null, NullNode.getInstance(), run.createdAt()));
    Ticket t = new Ticket(run, own, true);
    t.remote = true;
    engine.emit(
        new RunEvent.RunQueued(
            run.runId(), engine.clock.instant(), run.workflowId(), run.priority(), 0),
        own);
    try {
      engine.timer().schedule(() -> watchElsewhere(t), 200, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the runtime closed: the run stays queued, nobody waits for it here
    }
    return t;
  }

  private Ticket queueHere(RunRecord run, RunListener own) {
    RunRecord queuedRun =
        run.withStatus(RunStatus.QUEUED, null, null, null, NullNode.getInstance(), run.createdAt());
    boolean durable = engine.store().hasQueue();
    try {
      if (durable) engine.storeQueued(queuedRun);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        queued--;
        notifyAll();
      }
      throw e;
    }
    Ticket t = new Ticket(run, own, durable);
    List<Ticket> start;
    int depth;
    synchronized (this) {
      t.seq = arrivals++;
      waiting.add(t);
      depth = queued;
      start = grant();
    }
    engine.emit(
        new RunEvent.RunQueued(
            run.runId(), engine.clock.instant(), run.workflowId(), run.priority(), depth),
        own);
    dispatch(start);
    return t;
  }

  private void dispatchLater(List<Ticket> start) {
    if (!start.isEmpty()) engine.threads().execute(() -> dispatch(start));
  }

  /** Starts each granted ticket's run on a thread of the engine; each holds one slot. */
  private void dispatch(List<Ticket> start) {
    for (Ticket t : start) {
      try {
        engine.threads().execute(() -> execute(t));
      } catch (RejectedExecutionException e) {
        t.future.completeExceptionally(
            new IllegalStateException(
                "the AgentRuntime closed before run '" + t.run.runId() + "' left the queue", e));
        release();
      }
    }
  }

  private void execute(Ticket t) {
    try {
      RunExecution exec;
      if (t.durable) {
        Optional<RunLog> claimed = engine.store().claim(t.run.runId());
        if (claimed.isEmpty()) {
          watchElsewhere(t);
          return;
        }
        exec = engine.claimed(claimed.get(), t.own);
      } else {
        exec = engine.begin(t.run, t.own);
      }
      long waited = System.nanoTime() - t.since;
      waitSeconds.record(waited / 1e9);
      engine.emit(
          new RunEvent.RunDequeued(
              t.run.runId(), engine.clock.instant(), t.run.workflowId(), Duration.ofNanos(waited)),
          t.own);
      boolean cancelled;
      synchronized (t) {
        t.exec = exec;
        cancelled = t.cancelRequested;
      }
      if (cancelled) exec.requestStop(RunExecution.Stop.cancelled());
      t.future.complete(exec.execute(false));
    } catch (Throwable e) {
      t.future.completeExceptionally(e);
    } finally {
      Thread.interrupted();
      release();
    }
  }

  /**
   * The queued run was claimed by another engine sharing the store (or deleted): the handle
   * completes when the store shows the run finished or waiting.
   */
  private void watchElsewhere(Ticket t) {
    String runId = t.run.runId();
    Optional<RunRecord> now = engine.store().find(runId);
    if (now.isEmpty()) {
      t.future.completeExceptionally(
          new RunNotFoundException(runId, "run '" + runId + "' was deleted while it was queued"));
      return;
    }
    RunStatus s = now.get().status();
    if (s.isTerminal() || s == RunStatus.WAITING) {
      try {
        t.future.complete(engine.replay(runId));
      } catch (RuntimeException e) {
        t.future.completeExceptionally(e);
      }
      return;
    }
    try {
      engine.timer().schedule(() -> watchElsewhere(t), 200, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      t.future.completeExceptionally(
          new IllegalStateException(
              "the AgentRuntime closed while run '" + runId + "' executes elsewhere", e));
    }
  }

  private void cancel(Ticket t) {
    boolean removed;
    RunExecution exec;
    synchronized (this) {
      removed = waiting.remove(t);
      if (removed) {
        queued--;
        notifyAll();
      }
    }
    synchronized (t) {
      t.cancelRequested = true;
      exec = t.exec;
    }
    if (exec != null) {
      exec.requestStop(RunExecution.Stop.cancelled());
      return;
    }
    if (!removed && !t.remote)
      return; // dispatched: the run sees cancelRequested before it executes
    String message = "cancelled by the caller while queued";
    try {
      if (t.durable) {
        Optional<RunLog> claimed = engine.store().claim(t.run.runId());
        if (claimed.isEmpty()) {
          if (!t.remote) watchElsewhere(t); // a remote ticket is watched already
          return;
        }
        claimed
            .get()
            .finish(
                RunStatus.CANCELLED,
                FailureReason.CANCELLED,
                null,
                message,
                NullNode.getInstance());
      }
      engine.emit(
          new RunEvent.RunFailed(
              t.run.runId(),
              engine.clock.instant(),
              t.run.workflowId(),
              RunStatus.CANCELLED,
              FailureReason.CANCELLED,
              null,
              message),
          t.own);
      t.future.complete(
          new RunResult(
              t.run.runId(),
              t.run.workflowId(),
              RunStatus.CANCELLED,
              FailureReason.CANCELLED,
              null,
              message,
              NullNode.getInstance(),
              Json.NODES.objectNode(),
              List.of(),
              t.run.createdAt(),
              Duration.ZERO,
              BudgetUsage.ZERO));
    } catch (RuntimeException e) {
      t.future.completeExceptionally(e);
    }
  }

  /**
   * Stops admitting: callers waiting for a slot or for room fail, and the handles of runs still
   * queued complete exceptionally; those runs stay {@code QUEUED} in a durable store, for a worker
   * or {@code recoverOrphaned()}.
   */
  public void close() {
    List<Ticket> dropped = new ArrayList<>();
    synchronized (this) {
      if (closed) return;
      closed = true;
      for (Waiter w : waiting) if (w instanceof Ticket t) dropped.add(t);
      waiting.removeIf(w -> w instanceof Ticket);
      queued -= dropped.size();
      notifyAll();
    }
    for (Ticket t : dropped) {
      t.future.completeExceptionally(
          new IllegalStateException(
              "the AgentRuntime closed before run '"
                  + t.run.runId()
                  + "' left the queue"
                  + (t.durable
                      ? "; it stays QUEUED in the checkpoint store, for a worker or"
                          + " recoverOrphaned()"
                      : "")));
    }
    if (!dropped.isEmpty()) {
      log.info("{} queued runs were not started before the runtime closed", dropped.size());
    }
  }

  // ------------------------------------------------------------------ waiters

  private abstract static class Waiter {
    final int priority;
    long seq;
    final boolean counted;
    final long since = System.nanoTime();

    Waiter(int priority, long seq, boolean counted) {
      this.priority = priority;
      this.seq = seq;
      this.counted = counted;
    }
  }

  /** A thread of run/resume/fork or a worker waiting for a slot. */
  private static final class Caller extends Waiter {
    boolean granted; // guarded by the scheduler's monitor

    Caller(int priority, long seq, boolean counted) {
      super(priority, seq, counted);
    }
  }

  /** A started or enqueued run waiting for a slot, and its handle. */
  final class Ticket extends Waiter implements RunHandle {
    final RunRecord run;
    final RunListener own;
    final boolean durable;
    final CompletableFuture<RunResult> future = new CompletableFuture<>();
    private @Nullable RunExecution exec; // guarded by this
    private boolean cancelRequested; // guarded by this
    volatile boolean remote; // left to workers: never dispatched here

    Ticket(RunRecord run, RunListener own, boolean durable) {
      super(run.priority(), 0, true);
      this.run = run;
      this.own = own;
      this.durable = durable;
    }

    @Override
    public String runId() {
      return run.runId();
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
        throw new AgentrtException("run '" + run.runId() + "' did not finish", e);
      }
    }

    @Override
    public RunResult await(Duration timeout) throws TimeoutException {
      try {
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentrtException("interrupted while waiting for run '" + run.runId() + "'", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) throw r;
        throw new AgentrtException("run '" + run.runId() + "' failed internally: " + cause, cause);
      }
    }

    @Override
    public void cancel() {
      Scheduler.this.cancel(this);
    }

    @Override
    public CompletableFuture<RunResult> toCompletableFuture() {
      return future.copy();
    }
  }
}
