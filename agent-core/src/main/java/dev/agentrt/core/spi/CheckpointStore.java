package dev.agentrt.core.spi;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Keeps runs and their append-only step logs (ARCHITECTURE §4). The engine writes a run only
 * through the {@link RunLog} it owns, so a store can fence writers per run.
 *
 * <p>Thread-safe: one store serves every run of a runtime. Failures are reported as {@link
 * CheckpointStoreException} naming the run, and the step where one is concerned.
 *
 * @since 0.1
 */
public interface CheckpointStore extends AutoCloseable {

  /**
   * A store that keeps everything in memory: runs can be suspended and resumed within the JVM, not
   * across a restart. Keeps at most {@code maxRuns} finished runs, dropping the oldest.
   */
  static CheckpointStore inMemory(int maxRuns) {
    return new InMemoryCheckpointStore(maxRuns);
  }

  /**
   * {@link #inMemory(int)} with the time of status updates read from {@code clock} (the runtime
   * gives the store it opens itself its own clock).
   *
   * @since 0.1
   */
  static CheckpointStore inMemory(int maxRuns, Clock clock) {
    return new InMemoryCheckpointStore(maxRuns, clock);
  }

  /**
   * A store that keeps nothing: the fastest, but a run can neither be suspended durably nor
   * resumed, listed or inspected after it finished.
   */
  static CheckpointStore none() {
    return NoCheckpointStore.INSTANCE;
  }

  /** Records a new run and returns its log, owned by the caller until closed. */
  RunLog create(RunRecord run);

  /**
   * Takes ownership of an existing run to continue it.
   *
   * @throws RunNotFoundException if the store has no such run
   * @throws CheckpointStoreException if another owner holds the run
   */
  RunLog open(String runId);

  /** The run with this id, if the store has it. */
  Optional<RunRecord> find(String runId);

  /** The runs that match {@code query}, newest first. */
  List<RunRecord> list(RunQuery query);

  /**
   * The runs that match {@code query}, newest first, without their input and output: what a listing
   * needs, at a cost that does not grow with the size of the runs' values. A run whose record
   * cannot be read back is reported in {@link RunListing#unreadable()} and the others are listed;
   * it counts towards the query's limit.
   *
   * <p>The default summarizes {@link #list(RunQuery)}, so it reads every run's values and fails as
   * that method does; a store that keeps runs outside the heap should override it.
   *
   * @throws CheckpointStoreException if the store cannot be queried at all
   */
  default RunListing summaries(RunQuery query) {
    return new RunListing(list(query).stream().map(RunSummary::of).toList(), List.of());
  }

  /** A run's step log in append order; empty if the store has no such run. */
  List<StepRecord> steps(String runId);

  /**
   * A run's in-step records (LLM calls, tool calls, intents) of every step, in append order; empty
   * if the store has no such run. The default returns an empty list: a store that does not override
   * it cannot serve tools that read a run's calls (such as recording a run to a script).
   */
  default List<CallRecord> calls(String runId) {
    return List.of();
  }

  /**
   * Deletes a run with its steps and in-step records, whatever its status, unless an engine is
   * executing it. A waiting run deleted this way can no longer be resumed.
   *
   * @return whether the store had the run
   * @throws CheckpointStoreException if an engine holds the run (it is executing), or the store
   *     cannot delete
   * @throws UnsupportedOperationException if the store cannot delete runs (the default)
   * @since 0.1
   */
  default boolean delete(String runId) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot delete runs (it does not override CheckpointStore.delete)");
  }

  /** Releases the store's resources. Runs in flight must have been closed. */
  @Override
  void close();
}
