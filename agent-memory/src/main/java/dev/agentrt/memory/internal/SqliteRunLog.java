package dev.agentrt.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.AbstractRunLog;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run, holding the run's lease (version {@link #leaseVersion}). Every write
 * is conditional on that lease, in the statement that makes it. Thread-safe.
 *
 * <p>Steps appended with {@link #appendDeferrable} wait here, encoded, until the log's next write,
 * which inserts them in its transaction, before its own rows ({@link AbstractRunLog}).
 */
public final class SqliteRunLog extends AbstractRunLog<RunWrites.EncodedStep> {
  /** The run's {@code run_key}: how its rows refer to it. */
  final long runKey;

  /** The run's creation time in nanoseconds: steps store their start relative to it. */
  final long createdNs;

  final long leaseVersion;

  /**
   * Whether the taking of this log's lease is in {@code run_events} (an open or a claim): its
   * release is recorded too. A creator's lease is not, so neither is its release.
   */
  final boolean leaseRecorded;

  private final SqliteStore store;
  private final long callSeqAtOpen;

  SqliteRunLog(
      SqliteStore store,
      RunRecord run,
      List<StepRecord> steps,
      long runKey,
      long leaseVersion,
      boolean leaseRecorded,
      long callSeqAtOpen) {
    super(run, steps);
    this.store = store;
    this.runKey = runKey;
    this.createdNs = Codec.nanos(run.createdAt());
    this.leaseVersion = leaseVersion;
    this.leaseRecorded = leaseRecorded;
    this.callSeqAtOpen = callSeqAtOpen;
  }

  /** Runs {@code w}, giving it the deferred steps to insert first. */
  void write(Consumer<List<RunWrites.EncodedStep>> w) {
    withDeferred(
        carried -> {
          w.accept(carried);
          return null;
        });
  }

  @Override
  protected String storeName() {
    return store.path().toString();
  }

  @Override
  protected List<CallRecord> readCalls(String stepKey) {
    return store.calls(this, stepKey, callSeqAtOpen);
  }

  @Override
  protected RunWrites.EncodedStep encode(StepRecord step) {
    return store.writes().encode(step);
  }

  @Override
  protected void writeStep(StepRecord step, List<CallRecord> withStep) {
    store.writes().appendStep(this, step, withStep);
  }

  @Override
  protected void writeCall(CallRecord call) {
    store.writes().appendCall(this, call);
  }

  @Override
  protected void writeStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output,
      boolean release) {
    store.writes().updateStatus(this, status, reason, stepKey, message, output, release);
  }

  @Override
  protected void stopRenewing() {
    store.forget(this);
  }

  @Override
  protected void release() {
    write(carried -> store.release(this, carried));
  }

  @Override
  public String toString() {
    return "SqliteRunLog{run="
        + runId()
        + ", lease="
        + leaseVersion
        + (isClosed() ? ", closed" : "")
        + "}";
  }
}
