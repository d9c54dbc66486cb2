package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's write path into a {@link RunLog}: every record passes here before the store sees it,
 * and known secrets are masked in every text of it (outputs, errors, messages, call requests and
 * responses, names). Request hashes are kept as given: they are computed by the caller on the
 * unmasked request, so a resumed run's identical request still matches its record.
 *
 * <p>Reads pass through: what a run reads back is what was stored, masked.
 */
final class MaskingRunLog implements RunLog {
  private static final Logger log = LoggerFactory.getLogger(MaskingRunLog.class);

  private final RunLog delegate;
  private final Redactor masker;

  private MaskingRunLog(RunLog delegate, Redactor masker) {
    this.delegate = delegate;
    this.masker = masker;
  }

  /** {@code log} behind masking, or {@code log} itself when there is no secret to mask. */
  static RunLog wrap(RunLog log, Redactor masker) {
    return masker.isEmpty() ? log : new MaskingRunLog(log, masker);
  }

  /** {@code run} with its input, message and output masked. */
  static RunRecord mask(RunRecord run, Redactor masker) {
    if (masker.isEmpty()) return run;
    return new RunRecord(
        run.runId(),
        run.workflowId(),
        run.manifestHash(),
        run.engineVersion(),
        masker.redact(run.input()),
        run.status(),
        run.reason(),
        run.stepKey(),
        masker.redactNullable(run.message()),
        masker.redact(run.output()),
        run.createdAt(),
        run.updatedAt(),
        masker.redactValues(run.labels()),
        run.budget(),
        run.deadline());
  }

  static StepRecord mask(StepRecord s, Redactor masker) {
    JsonNode output = masker.redact(s.output());
    String error = masker.redactNullable(s.error());
    if (output == s.output() && error == s.error()) return s;
    if (output != s.output()) {
      // not silent: a run resumed from this record sees the mask where the secret was
      // (docs/checkpoints.md)
      log.info(
          "run {}: the output of step '{}' contains a configured secret; it is checkpointed with {} in its"
              + " place, and a resumed run sees {} there",
          s.runId(),
          s.stepKey(),
          Redactor.MASK,
          Redactor.MASK);
    }
    return new StepRecord(
        s.runId(),
        s.stepKey(),
        s.nodeId(),
        s.attempts(),
        s.status(),
        output,
        error,
        s.startedAt(),
        s.duration(),
        s.usage());
  }

  static CallRecord mask(CallRecord c, Redactor masker) {
    JsonNode request = masker.redact(c.request());
    JsonNode response = masker.redact(c.response());
    String name = masker.redact(c.name());
    if (request == c.request() && response == c.response() && name == c.name()) return c;
    return new CallRecord(
        c.runId(),
        c.stepKey(),
        c.index(),
        c.kind(),
        name,
        c.requestHash(),
        request,
        response,
        c.usage(),
        c.startedAt(),
        c.duration());
  }

  @Override
  public RunRecord run() {
    return delegate.run();
  }

  @Override
  public List<StepRecord> steps() {
    return delegate.steps();
  }

  @Override
  public List<CallRecord> calls(String stepKey) {
    return delegate.calls(stepKey);
  }

  @Override
  public void appendStep(StepRecord step, List<CallRecord> withStep) {
    List<CallRecord> calls = withStep;
    if (!withStep.isEmpty()) {
      calls = new ArrayList<>(withStep.size());
      for (CallRecord c : withStep) calls.add(mask(c, masker));
    }
    delegate.appendStep(mask(step, masker), calls);
  }

  @Override
  public void appendDeferrable(StepRecord step) {
    delegate.appendDeferrable(mask(step, masker));
  }

  @Override
  public void appendCall(CallRecord call) {
    delegate.appendCall(mask(call, masker));
  }

  @Override
  public void updateStatus(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    delegate.updateStatus(
        status, reason, stepKey, masker.redactNullable(message), masker.redact(output));
  }

  @Override
  public void finish(
      RunStatus status,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message,
      JsonNode output) {
    delegate.finish(status, reason, stepKey, masker.redactNullable(message), masker.redact(output));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
