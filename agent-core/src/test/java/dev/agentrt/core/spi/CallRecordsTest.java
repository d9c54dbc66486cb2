package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.BudgetUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CallRecords}: a step's records as calls, intents folded into their tool calls. */
class CallRecordsTest {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  static CallRecord record(String step, int index, CallKind kind, String name, JsonNode response) {
    return new CallRecord(
        "r",
        step,
        index,
        kind,
        name,
        "hash",
        F.objectNode(),
        response,
        BudgetUsage.ZERO,
        Instant.EPOCH,
        Duration.ZERO);
  }

  static CallRecord intent(int index, String name) {
    return record(
        "s#0",
        index,
        CallKind.INTENT,
        name,
        F.objectNode().put("effect", "non_idempotent").put("idempotency_key", "r/s#0/" + index));
  }

  @Test
  void fold_intentThenOtherRecordsThenItsCall_foldsTheIntentIntoTheCall_inIndexOrder() {
    List<CallRecords.Call> calls =
        CallRecords.fold(
            List.of(
                record("s#0", 0, CallKind.LLM, "m", F.objectNode()),
                intent(1, "fs.write"),
                record("s#0", 2, CallKind.TOOL, "fs.read", F.objectNode()),
                record("s#0", 1, CallKind.TOOL, "fs.write", F.objectNode())));

    assertThat(calls)
        .extracting(c -> c.record().kind() + " " + c.record().name())
        .containsExactly("llm m", "tool fs.write", "tool fs.read");
    assertThat(calls.get(1).effect()).contains("non_idempotent");
    assertThat(calls.get(1).idempotencyKey()).contains("r/s#0/1");
    assertThat(calls.get(1).pending()).isFalse();
    assertThat(calls.get(2).effect()).isEmpty();
    assertThat(calls.get(0).intent()).isNull();
  }

  @Test
  void fold_intentWithoutItsCall_isAPendingCallOfItsOwn() {
    List<CallRecords.Call> calls = CallRecords.fold(List.of(intent(0, "http")));

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).pending()).isTrue();
    assertThat(calls.get(0).idempotencyKey()).contains("r/s#0/0");
  }

  @Test
  void fold_intentOfAnotherName_isNotFoldedIntoTheCall() {
    List<CallRecords.Call> calls =
        CallRecords.fold(
            List.of(
                intent(0, "fs.write"), record("s#0", 0, CallKind.TOOL, "fs.read", F.nullNode())));

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).record().name()).isEqualTo("fs.read");
    assertThat(calls.get(0).effect()).isEmpty();
  }

  @Test
  void byStep_groupsInOrderOfFirstRecord() {
    CallRecord a = record("b#0", 0, CallKind.LLM, "m", F.objectNode());
    CallRecord b = record("a#0", 0, CallKind.LLM, "m", F.objectNode());
    CallRecord c = record("b#0", 1, CallKind.LLM, "m", F.objectNode());

    assertThat(CallRecords.byStep(List.of(a, b, c)))
        .containsExactly(
            java.util.Map.entry("b#0", List.of(a, c)), java.util.Map.entry("a#0", List.of(b)));
  }
}
