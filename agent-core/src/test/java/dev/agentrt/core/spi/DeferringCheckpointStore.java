package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A store in front of another whose logs really defer {@link RunLog#appendDeferrable} steps: they
 * are held in the log and written before its next write (or close), as a database store defers them
 * into the next transaction. {@link #crashAtEnd()} makes the next {@code finish} or {@code close}
 * of a log behave as a process that crashed before that write: the deferred steps and the final
 * status are lost, and the run is released (its lease expired) so that it can be resumed.
 */
public final class DeferringCheckpointStore implements CheckpointStore {
  private final CheckpointStore delegate;
  private final AtomicBoolean crashAtEnd = new AtomicBoolean();
  private final List<String> deferred = new CopyOnWriteArrayList<>();
  private final List<String> lost = new CopyOnWriteArrayList<>();

  /** Defers in front of {@code delegate}. */
  public DeferringCheckpointStore(CheckpointStore delegate) {
    this.delegate = delegate;
  }

  /** The next finish or close of a log loses its deferred steps and its status. */
  public void crashAtEnd() {
    crashAtEnd.set(true);
  }

  /** The keys of every step appended as deferrable, in append order. */
  public List<String> deferredKeys() {
    return List.copyOf(deferred);
  }

  /** The keys of the deferred steps a simulated crash lost, in append order. */
  public List<String> lostKeys() {
    return List.copyOf(lost);
  }

  private RunLog wrap(RunLog log) {
    return new Log(log);
  }

  private final class Log implements RunLog {
    private final RunLog log;
    private final List<StepRecord> pending = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    Log(RunLog log) {
      this.log = log;
    }

    @Override
    public RunRecord run() {
      return log.run();
    }

    @Override
    public List<StepRecord> steps() {
      return log.steps();
    }

    @Override
    public List<CallRecord> calls(String stepKey) {
      return log.calls(stepKey);
    }

    @Override
    public synchronized void appendDeferrable(StepRecord step) {
      deferred.add(step.stepKey());
      pending.add(step);
    }

    /** Writes the pending steps before the write that carries them. */
    private void carry() {
      List<StepRecord> carried = List.copyOf(pending);
      pending.clear();
      for (StepRecord s : carried) log.appendStep(s, List.of());
    }

    @Override
    public synchronized void appendStep(StepRecord step, List<CallRecord> withStep) {
      carry();
      log.appendStep(step, withStep);
    }

    @Override
    public synchronized void appendCall(CallRecord call) {
      carry();
      log.appendCall(call);
    }

    @Override
    public synchronized void updateStatus(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {
      carry();
      log.updateStatus(status, reason, stepKey, message, output);
    }

    @Override
    public synchronized void finish(
        RunStatus status,
        @Nullable FailureReason reason,
        @Nullable String stepKey,
        @Nullable String message,
        JsonNode output) {
      if (crashed()) return;
      try {
        carry();
        log.updateStatus(status, reason, stepKey, message, output);
      } finally {
        close();
      }
    }

    @Override
    public synchronized void close() {
      if (closed || crashed()) return;
      closed = true;
      try {
        carry();
      } finally {
        log.close();
      }
    }

    /** Whether a crash was armed: then the pending steps are lost and the run released. */
    private boolean crashed() {
      if (closed || !crashAtEnd.compareAndSet(true, false)) return false;
      closed = true;
      for (StepRecord s : pending) lost.add(s.stepKey());
      pending.clear();
      log.close(); // the lease of a crashed process expires
      return true;
    }
  }

  @Override
  public RunLog create(RunRecord run) {
    return wrap(delegate.create(run));
  }

  @Override
  public RunLog open(String runId) {
    return wrap(delegate.open(runId));
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return delegate.find(runId);
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    return delegate.list(query);
  }

  @Override
  public RunListing summaries(RunQuery query) {
    return delegate.summaries(query);
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return delegate.steps(runId);
  }

  @Override
  public List<CallRecord> calls(String runId) {
    return delegate.calls(runId);
  }

  @Override
  public boolean delete(String runId) {
    return delegate.delete(runId);
  }

  @Override
  public int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    return delegate.prune(keepLast, maxAge);
  }

  @Override
  public boolean hasQueue() {
    return delegate.hasQueue();
  }

  @Override
  public void enqueue(RunRecord run) {
    delegate.enqueue(run);
  }

  @Override
  public Optional<RunLog> claim(String runId) {
    return delegate.claim(runId).map(this::wrap);
  }

  @Override
  public Optional<RunLog> claimNext() {
    return delegate.claimNext().map(this::wrap);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
