package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run in a {@link CheckpointStore}, held by the engine that owns the run.
 * Each method commits before it returns, except {@link #appendDeferrable}, whose step a store may
 * commit with the log's next write. Appends from parallel branches of the run may come from several
 * threads at once; an implementation must be thread-safe.
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

  /**
   * Appends a step that the engine can redo at no cost if it is lost: the step of a node that ran
   * no executor and has no effect (a start or exit node, the marker of a step the run waits at). A
   * store may commit it with this log's next write ({@link #appendStep}, {@link #appendCall},
   * {@link #updateStatus}, {@link #finish}, {@link #close}) instead of before this returns; a crash
   * before that write loses only this step, which the engine redoes when the run resumes.
   *
   * <p>A store that defers writes the deferred steps in the same transaction as the next write and
   * before it, in the order they were appended, so the step log keeps the order of the appends;
   * {@link #close} writes them together with giving up ownership. If that write fails (the store
   * fails, or another engine took the run over), the deferred steps are not written either: the
   * run's next owner redoes them. Parallel branches may append concurrently: taking the deferred
   * steps for a write is atomic with that write, and a write that starts after a deferred append
   * returned commits no earlier than that step.
   *
   * <p>The default commits the step at once, as {@code appendStep(step, List.of())}.
   *
   * @throws IllegalArgumentException if the store cannot hold a value of the step; nothing is
   *     written or deferred
   * @throws dev.agentrt.core.CheckpointStoreException if the log is closed, or (a store that does
   *     not defer) as {@link #appendStep}
   * @since 0.1
   */
  default void appendDeferrable(StepRecord step) {
    appendStep(step, List.of());
  }

  /** Appends a record made inside a step that is still running, committed before this returns. */
  void appendCall(CallRecord call);

  /** Records the run's new status. */
  void updateStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output);

  /**
   * Records the run's final status of this execution, as {@link #updateStatus} does, and gives up
   * ownership of the run, as {@link #close} does: in one commit where the store can, so that the
   * run is never seen released without its status nor with its status and still owned. The engine
   * calls this for every status it records at the end of an execution ({@code COMPLETED}, {@code
   * FAILED}, {@code CANCELLED}, {@code WAITING}, ...); steps appended with {@link
   * #appendDeferrable} and not yet written commit with it.
   *
   * <p>After this returns or throws, the log is closed: {@link #close} does nothing more. If the
   * status cannot be recorded (the store fails, or another engine took the run over: {@link
   * dev.agentrt.core.RunOwnedException}), the exception propagates, nothing of this call is
   * written, and ownership is given up all the same (or was lost already).
   *
   * <p>The default calls {@link #updateStatus} and then, whatever it threw, {@link #close}.
   *
   * @throws IllegalArgumentException if the store cannot hold the output
   * @throws dev.agentrt.core.CheckpointStoreException if the store fails or another engine owns the
   *     run ({@link dev.agentrt.core.RunOwnedException})
   * @since 0.1
   */
  default void finish(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    try {
      updateStatus(status, reason, stepKey, message, output);
    } finally {
      close();
    }
  }

  /**
   * Gives up ownership of the run, after writing the steps appended with {@link #appendDeferrable}
   * and not yet written (in one commit where the store can). Does nothing if the log is closed
   * already. A store that cannot release the run should log it rather than throw: its lease
   * expires.
   */
  @Override
  void close();
}
