package dev.agentrt.store.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.AbstractRunLog;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.store.postgres.internal.Rows.EncodedStep;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The write side of one run, holding the run's lease (version {@link #leaseVersion}). Every write
 * is conditional on that lease, in the statement that makes it. Thread-safe: each write borrows its
 * own connection.
 *
 * <p>Steps appended with {@link #appendDeferrable} wait here, encoded, until the log's next write,
 * which inserts them in its transaction, before its own rows ({@link AbstractRunLog}).
 */
public final class PgRunLog extends AbstractRunLog<EncodedStep> {
  final long leaseVersion;
  private final PgStore store;
  private final long callSeqAtOpen;

  /** A write of this log, given the deferred steps it must insert first (often none). */
  interface Write<T> {
    T apply(List<EncodedStep> carried);
  }

  PgRunLog(
      PgStore store, RunRecord run, List<StepRecord> steps, long leaseVersion, long callSeqAtOpen) {
    super(run, steps);
    this.store = store;
    this.leaseVersion = leaseVersion;
    this.callSeqAtOpen = callSeqAtOpen;
  }

  /** Runs {@code w}, giving it the deferred steps to insert first. */
  <T> T write(Write<T> w) {
    return withDeferred(w::apply);
  }

  @Override
  protected String storeName() {
    return store.name();
  }

  @Override
  protected List<CallRecord> readCalls(String stepKey) {
    return store.calls(runId(), stepKey, callSeqAtOpen);
  }

  @Override
  protected EncodedStep encode(StepRecord step) {
    return Rows.encode(step);
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
    if (release) store.writes().finish(this, status, reason, stepKey, message, output);
    else store.writes().updateStatus(this, status, reason, stepKey, message, output);
  }

  @Override
  protected void stopRenewing() {
    store.forget(this);
  }

  @Override
  protected void release() {
    store.release(this);
  }

  @Override
  public String toString() {
    return "PgRunLog{run="
        + runId()
        + ", lease="
        + leaseVersion
        + (isClosed() ? ", closed" : "")
        + "}";
  }
}
