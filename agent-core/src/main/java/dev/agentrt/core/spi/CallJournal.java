package dev.agentrt.core.spi;

import java.util.Optional;

/**
 * The records made inside one step (LLM calls, tool calls), committed as each call completes.
 * Implemented by the engine.
 *
 * <p>When a run resumes after a crash, a step that had started is executed again; the records its
 * earlier execution made are offered by {@link #replayed(int)} in order, so an executor can reuse a
 * completed call's result instead of paying for it twice.
 *
 * @since 0.1
 */
public interface CallJournal {

  /**
   * The record made at position {@code index} (0-based) of this step by an earlier execution, if
   * there is one.
   */
  Optional<CallRecord> replayed(int index);

  /**
   * Commits a completed call's record; when this returns, the record is in the checkpoint store.
   * The record's step key must be this step's.
   */
  void record(CallRecord record);

  /**
   * Keeps a record to be committed atomically with the step itself (the result of a call with side
   * effects), so that a step's output and its effects' results are never split across transactions.
   * The record is lost if the step does not complete.
   */
  void recordWithStep(CallRecord record);
}
