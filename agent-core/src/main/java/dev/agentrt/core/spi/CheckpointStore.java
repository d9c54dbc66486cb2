package dev.agentrt.core.spi;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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

  /**
   * Deletes finished runs (completed, failed, cancelled) that no engine owns, with their steps and
   * in-step records: those beyond the newest {@code keepLast} runs (all runs count towards it), and
   * those whose status last changed before {@code now - maxAge}. Queued, running and waiting runs
   * are never deleted. A rule given as null does not apply.
   *
   * @return how many runs were deleted
   * @throws IllegalArgumentException if {@code keepLast} is negative or {@code maxAge} negative
   * @throws UnsupportedOperationException if the store cannot delete runs (the default)
   * @since 0.1
   */
  default int prune(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot prune runs (it does not override CheckpointStore.prune)");
  }

  /**
   * Whether this store keeps a durable queue: {@link #enqueue}, {@link #claim} and {@link
   * #claimNext} are implemented. The default is false.
   *
   * @since 0.1
   */
  default boolean hasQueue() {
    return false;
  }

  /**
   * Records a new run of status {@link RunStatus#QUEUED}, owned by no engine, for {@link #claim} or
   * {@link #claimNext} to hand out. Atomic: the run is either stored whole or absent.
   *
   * @throws IllegalArgumentException if {@code run}'s status is not {@code QUEUED}
   * @throws CheckpointStoreException if a run with that id exists, or the store fails
   * @throws UnsupportedOperationException if the store has no queue ({@link #hasQueue()})
   * @since 0.1
   */
  default void enqueue(RunRecord run) {
    throw noQueue();
  }

  /**
   * Takes ownership of the queued run {@code runId} to start it: in one atomic change the run
   * becomes {@link RunStatus#RUNNING}, owned by the returned log. Two engines claiming the same run
   * at once get it at most once between them.
   *
   * @return the run's log, or empty if the run is no longer queued (another engine claimed it, or
   *     it was cancelled or deleted)
   * @throws UnsupportedOperationException if the store has no queue
   * @since 0.1
   */
  default Optional<RunLog> claim(String runId) {
    throw noQueue();
  }

  /**
   * Takes ownership of the next run to execute: the queued run of the highest priority, the oldest
   * first within one priority; else a {@link RunStatus#RUNNING} run whose owner's lease expired or
   * was released (an engine crashed or drained). A queued run becomes {@code RUNNING} in the same
   * atomic change. Safe across engines and processes sharing the store: no run is handed to two
   * engines at once.
   *
   * @return the claimed run's log (its {@link RunLog#run()} says whether it was queued: no steps),
   *     or empty if there is nothing to execute
   * @throws UnsupportedOperationException if the store has no queue
   * @since 0.1
   */
  default Optional<RunLog> claimNext() {
    throw noQueue();
  }

  private UnsupportedOperationException noQueue() {
    return new UnsupportedOperationException(
        getClass().getName()
            + " has no run queue (it does not override CheckpointStore.enqueue and claim); use"
            + " the in-memory, SQLite or PostgreSQL store");
  }

  /** Releases the store's resources. Runs in flight must have been closed. */
  @Override
  void close();
}
