package dev.agentrt.core.internal;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims runs from the store's queue and executes them: queued runs from their first node, runs
 * whose owner died from their last checkpoint. One thread claims, at most {@code concurrency} runs
 * execute at once on the engine's threads, each holding a scheduler slot too. A worker polls when
 * the queue is empty; recovery ({@code stopWhenEmpty}) ends at the first empty claim.
 *
 * <p>{@link #drain} stops claiming, waits for the runs in flight, and releases those still
 * executing when the time is up: they stay {@code RUNNING} without an owner, for another engine.
 */
public final class Claimer {
  private static final Logger log = LoggerFactory.getLogger(Claimer.class);

  private final Engine engine;
  private final Semaphore slots;
  private final int concurrency;
  private final Duration pollInterval;
  private final boolean stopWhenEmpty;
  private final Set<RunExecution> executing = ConcurrentHashMap.newKeySet();
  private final AtomicLong executed = new AtomicLong();
  private final Object idle = new Object();
  private final Thread thread;
  private volatile boolean draining;

  /**
   * Guards {@link #claiming} and the drain's interrupt: the claiming thread is interrupted only
   * while it waits (for a slot, for work), never inside a claim, whose transaction may commit while
   * the wait for it is cut short, leaving a run claimed that nobody executes until its lease ends.
   */
  private final Object claimLock = new Object();

  private boolean claiming; // guarded by claimLock

  /** A claimer of {@code engine}'s store; call {@link #start()}. */
  public Claimer(
      Engine engine, String name, int concurrency, Duration pollInterval, boolean stopWhenEmpty) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
    }
    this.engine = engine;
    this.concurrency = concurrency;
    this.slots = new Semaphore(concurrency);
    this.pollInterval = pollInterval;
    this.stopWhenEmpty = stopWhenEmpty;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  public Claimer start() {
    thread.start();
    return this;
  }

  /** Runs this claimer executed to an end (finished, waiting, or released). */
  public long executed() {
    return executed.get();
  }

  /** Runs executing now. */
  public int inFlight() {
    return executing.size();
  }

  /** Whether the claiming thread still runs. */
  public boolean isAlive() {
    return thread.isAlive();
  }

  private void loop() {
    Scheduler scheduler = engine.scheduler();
    try {
      while (!draining) {
        slots.acquire();
        try {
          scheduler.acquire(0, false);
        } catch (RuntimeException e) {
          slots.release();
          throw e;
        }
        Optional<RunLog> claimed = claimNext();
        if (claimed.isEmpty()) {
          scheduler.release();
          slots.release();
          if (stopWhenEmpty) return;
          waitForWork();
          continue;
        }
        execute(claimed.get()); // the execution gives both slots back when it ends
      }
    } catch (InterruptedException e) {
      // drained
    } catch (RuntimeException | Error e) {
      if (draining) return;
      log.error("claimer {} stopped: {}", thread.getName(), e.toString(), e);
    }
  }

  private Optional<RunLog> claimNext() {
    synchronized (claimLock) {
      if (draining) return Optional.empty();
      claiming = true;
    }
    try {
      return engine.store().claimNext();
    } catch (RuntimeException e) {
      log.warn("claiming the next run failed; retrying after {}", pollInterval, e);
      return Optional.empty();
    } finally {
      synchronized (claimLock) {
        claiming = false;
      }
    }
  }

  private void waitForWork() throws InterruptedException {
    synchronized (idle) {
      if (!draining) idle.wait(Math.max(1, pollInterval.toMillis()));
    }
  }

  /** Executes a claimed run on a thread of the engine; it gives back both slots when it ends. */
  private void execute(RunLog claimed) {
    RunExecution exec;
    try {
      exec = engine.claimed(claimed, RunListener.NOOP);
    } catch (RuntimeException e) {
      log.error("run '{}' cannot be executed here: {}", claimed.run().runId(), e.getMessage());
      engine.scheduler().release();
      slots.release();
      return;
    }
    boolean queued = claimed.steps().isEmpty();
    if (queued) {
      Duration waited = Duration.between(claimed.run().createdAt(), engine.clock.instant());
      engine.emit(
          new RunEvent.RunDequeued(exec.runId, engine.clock.instant(), exec.workflow.id, waited),
          RunListener.NOOP);
    }
    executing.add(exec);
    try {
      engine
          .threads()
          .execute(
              () -> {
                try {
                  exec.execute(!queued);
                } catch (RuntimeException | Error e) {
                  log.error("run '{}' failed internally", exec.runId, e);
                } finally {
                  Thread.interrupted();
                  executing.remove(exec);
                  executed.incrementAndGet();
                  engine.scheduler().release();
                  slots.release();
                  synchronized (idle) {
                    idle.notifyAll();
                  }
                }
              });
    } catch (RejectedExecutionException e) {
      executing.remove(exec);
      claimed.close(); // the run stays as it was, for another engine
      engine.scheduler().release();
      slots.release();
    }
  }

  /**
   * Waits until this claimer stopped claiming (recovery: the queue was empty; a worker: drained)
   * and no run it claimed executes, at most {@code timeout}.
   *
   * @return whether it is idle
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
    if (thread.isAlive()) return false;
    synchronized (idle) {
      while (!executing.isEmpty()) {
        long left = end - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  /**
   * Stops claiming, waits at most {@code timeout} for the runs in flight to end, then releases the
   * others (they stop at once and stay {@code RUNNING} without an owner) and waits for them to
   * stop.
   *
   * @return whether every run in flight ended on its own
   */
  public boolean drain(Duration timeout) {
    synchronized (claimLock) {
      draining = true;
      if (!claiming) thread.interrupt(); // a claim in flight sees draining when it returns
    }
    synchronized (idle) {
      idle.notifyAll();
    }
    long end = System.nanoTime() + timeout.toNanos();
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      synchronized (idle) {
        while (!executing.isEmpty()) {
          long left = end - System.nanoTime();
          if (left <= 0) break;
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      }
      if (executing.isEmpty()) return true;
      List<RunExecution> left = new ArrayList<>(executing);
      log.info(
          "releasing {} runs still executing after {}; another engine continues them",
          left.size(),
          timeout);
      for (RunExecution e : left) {
        e.requestStop(RunExecution.Stop.released("released by a draining worker"));
      }
      slots.acquire(concurrency);
      slots.release(concurrency);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return executing.isEmpty();
    }
  }
}
