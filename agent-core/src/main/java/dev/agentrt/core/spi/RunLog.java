package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run in a {@link CheckpointStore}, held by the engine that owns the run.
 * Each method commits before it returns. Appends from parallel branches of the run may come from
 * several threads at once; an implementation must be thread-safe.
 *
 * @since 0.1
 */
public interface RunLog extends AutoCloseable {

  /** The run as it was when this log was created or opened. */
  RunRecord run();

  /** The step log as it was when this log was opened, in append order. */
  List<StepRecord> steps();

  /** The in-step records of {@code stepKey} as they were when this log was opened, by index. */
  List<CallRecord> calls(String stepKey);

  /**
   * Appends a step together with the in-step records that must commit with it (the results of
   * effectful calls), atomically: the step and those records are either all in the log or all
   * absent.
   *
   * @throws IllegalArgumentException if the store cannot hold a value of the step (such as an
   *     output nested deeper than it can write); nothing is written, and the engine fails the step
   * @throws dev.agentrt.core.CheckpointStoreException if the store fails or another engine owns the
   *     run ({@link dev.agentrt.core.RunOwnedException}); the engine stops the run
   */
  void appendStep(StepRecord step, List<CallRecord> withStep);

  /** Appends a record made inside a step that is still running, committed before this returns. */
  void appendCall(CallRecord call);

  /** Records the run's new status. */
  void updateStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output);

  /** Gives up ownership of the run. */
  @Override
  void close();
}
