package dev.agentrt.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.ToolResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording and replay of tool calls in a step's {@link CallJournal}: a result recorded by an
 * earlier execution of the step is reused; a {@link Effect#NON_IDEMPOTENT} call that was started
 * (its intent recorded) and never finished is not repeated unless a decision says so; an effectful
 * call records its intent before it runs, and its result with the step.
 */
final class EffectJournal {
  private static final Logger log = LoggerFactory.getLogger(ToolBus.class);

  private EffectJournal() {}

  /**
   * What an earlier execution of the step decides for this call, or null if the tool is to be
   * called.
   *
   * @param hash {@link ResultCodec#requestHash} of {@code inv}
   * @param decision the caller's decision for an unfinished non-idempotent call, or null for the
   *     tool's {@code on_indeterminate} setting
   */
  static @Nullable CallOutcome replay(
      CallJournal journal,
      RegisteredTool r,
      ToolInvocation inv,
      String hash,
      @Nullable OnIndeterminate decision) {
    Optional<CallRecord> earlier = journal.replayed(inv.index());
    if (earlier.isEmpty()) return null;
    CallRecord c = earlier.get();
    if (!c.name().equals(inv.tool()) || !c.requestHash().equals(hash)) {
      log.debug(
          "call {} of run {} changed since it was recorded ({} -> {}); running it again",
          inv.callId(),
          inv.runId(),
          c.name(),
          inv.tool());
      return null;
    }
    if (c.kind() == CallKind.TOOL) return CallOutcome.replayed(ResultCodec.decode(c.response()));
    if (c.kind() == CallKind.INTENT && r.descriptor().effect() == Effect.NON_IDEMPOTENT) {
      return unfinished(inv, decision != null ? decision : r.settings().onIndeterminate());
    }
    return null;
  }

  /**
   * An unfinished non-idempotent call under decision {@code d}; null for {@link
   * OnIndeterminate#RETRY}.
   */
  private static @Nullable CallOutcome unfinished(ToolInvocation inv, OnIndeterminate d) {
    String started =
        "tool '"
            + inv.tool()
            + "': call "
            + inv.callId()
            + " was started by an earlier execution "
            + "and its result was not recorded; ";
    switch (d) {
      case WAIT:
        return CallOutcome.replayed(
            new ToolResult.Failure(
                ToolFailureKind.INDETERMINATE_EFFECT,
                started
                    + "the tool is non-idempotent, so it was not called again (check whether the effect happened, then "
                    + "resume the run with {\"effect\": \"retry\"}, {\"effect\": \"skip\"} or {\"effect\": \"fail\"})"));
      case FAIL:
        return CallOutcome.replayed(
            new ToolResult.Failure(
                ToolFailureKind.DENIED,
                started + "it was not called again " + "and fails (decision: fail)"));
      case SKIP:
        log.info(
            "call {} of run {} ({}): skipped by decision, the tool is not called again",
            inv.callId(),
            inv.runId(),
            inv.tool());
        return CallOutcome.fresh(
            ToolResult.success(
                ResultCodec.NODES
                    .objectNode()
                    .put("skipped", true)
                    .put("tool", inv.tool())
                    .put("call", inv.callId())));
      case RETRY:
      default:
        log.info(
            "call {} of run {} ({}): re-issued by decision with idempotency key {}",
            inv.callId(),
            inv.runId(),
            inv.tool(),
            inv.idempotencyKey());
        return null;
    }
  }

  /** Records the intent of an effectful call, committed before the tool runs. */
  static void intent(
      CallJournal journal, RegisteredTool r, ToolInvocation inv, String hash, Instant startedAt) {
    Effect effect = r.descriptor().effect();
    if (effect == Effect.NONE) return;
    ObjectNode intent =
        ResultCodec.NODES
            .objectNode()
            .put("tool", inv.tool())
            .put("effect", effect.id())
            .put("idempotency_key", inv.idempotencyKey());
    journal.record(
        new CallRecord(
            inv.runId(),
            inv.stepKey(),
            inv.index(),
            CallKind.INTENT,
            inv.tool(),
            hash,
            ResultCodec.request(inv),
            intent,
            BudgetUsage.ZERO,
            startedAt,
            Duration.ZERO));
  }

  /**
   * Records the result of a call: at once for an effect-free call or one refused before its tool
   * ran, else with the step (so that a result is never kept without the step that used it).
   */
  static void result(
      CallJournal journal,
      ToolInvocation inv,
      String hash,
      Effect effect,
      ToolResult result,
      Instant startedAt,
      Duration took) {
    CallRecord rec =
        new CallRecord(
            inv.runId(),
            inv.stepKey(),
            inv.index(),
            CallKind.TOOL,
            inv.tool(),
            hash,
            ResultCodec.request(inv),
            ResultCodec.encode(result),
            BudgetUsage.ZERO,
            startedAt,
            took);
    if (effect == Effect.NONE || !(result instanceof ToolResult.Success) && !ranTool(result)) {
      journal.record(rec);
    } else {
      journal.recordWithStep(rec);
    }
  }

  /** Whether a failure may have come after the tool ran (and so may hide an effect). */
  private static boolean ranTool(ToolResult result) {
    if (!(result instanceof ToolResult.Failure f)) return true;
    return f.kind() == ToolFailureKind.ERROR
        || f.kind() == ToolFailureKind.TIMEOUT
        || f.kind() == ToolFailureKind.CANCELLED;
  }
}
