package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A store that keeps nothing. */
final class NoCheckpointStore implements CheckpointStore {
  static final NoCheckpointStore INSTANCE = new NoCheckpointStore();

  private NoCheckpointStore() {}

  @Override
  public RunLog create(RunRecord run) {
    return new RunLog() {
      @Override
      public RunRecord run() {
        return run;
      }

      @Override
      public List<StepRecord> steps() {
        return List.of();
      }

      @Override
      public List<CallRecord> calls(String stepKey) {
        return List.of();
      }

      @Override
      public void appendStep(StepRecord step, List<CallRecord> withStep) {}

      @Override
      public void appendCall(CallRecord call) {}

      @Override
      public void updateStatus(
          RunStatus status,
          @Nullable FailureReason reason,
          @Nullable String stepKey,
          @Nullable String message,
          JsonNode output) {}

      @Override
      public void close() {}
    };
  }

  @Override
  public RunLog open(String runId) {
    throw new RunNotFoundException(
        runId,
        "run '"
            + runId
            + "' cannot be resumed: the runtime keeps no checkpoints"
            + " (configure a checkpoint store: checkpoint: {store: memory} or sqlite)");
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return Optional.empty();
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    return List.of();
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return List.of();
  }

  @Override
  public void close() {}
}
