package dev.agentrt.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory store that keeps every call record it is given and can simulate a crash: after
 * {@code crashAfterCalls} call records, the next one throws an Error and nothing more is written
 * (so the run stays RUNNING, as after a killed process).
 */
final class RecordingStore implements CheckpointStore {
  final CheckpointStore delegate;
  final List<CallRecord> calls = new CopyOnWriteArrayList<>();
  volatile int crashAfterCalls = Integer.MAX_VALUE;
  volatile boolean crashed;

  static final class Crash extends Error {
    Crash() {
      super("simulated crash");
    }
  }

  /** Over an in-memory store. */
  RecordingStore() {
    this(CheckpointStore.inMemory(100));
  }

  /**
   * Over {@code delegate}, which closing this store leaves open (a test reads it after the runtime
   * closed).
   */
  RecordingStore(CheckpointStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public RunLog create(RunRecord run) {
    return wrap(delegate.create(run));
  }

  @Override
  public RunLog open(String runId) {
    return wrap(delegate.open(runId));
  }

  private RunLog wrap(RunLog log) {
    return new RunLog() {
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
      public void appendStep(StepRecord step, List<CallRecord> withStep) {
        if (crashed) return;
        calls.addAll(withStep);
        log.appendStep(step, withStep);
      }

      @Override
      public void appendCall(CallRecord call) {
        if (crashed) return;
        if (calls.size() >= crashAfterCalls) {
          crashed = true;
          throw new Crash();
        }
        calls.add(call);
        log.appendCall(call);
      }

      @Override
      public void updateStatus(
          RunStatus status,
          @Nullable FailureReason reason,
          @Nullable String stepKey,
          @Nullable String message,
          JsonNode output) {
        if (crashed) return;
        log.updateStatus(status, reason, stepKey, message, output);
      }

      @Override
      public void close() {
        log.close();
      }
    };
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
  public List<StepRecord> steps(String runId) {
    return delegate.steps(runId);
  }

  @Override
  public List<CallRecord> calls(String runId) {
    return delegate.calls(runId);
  }

  @Override
  public void close() {
    // the test closes the delegate; a runtime closing this must not lose the runs
  }
}
