package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link CheckpointStore#calls(String)}: every in-step record of a run, in append order. */
class CheckpointStoreCallsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static RunRecord run(String id) {
    return new RunRecord(
        id,
        "wf",
        "hash",
        "0.1",
        NullNode.getInstance(),
        RunStatus.RUNNING,
        null,
        null,
        null,
        NullNode.getInstance(),
        T0,
        T0);
  }

  static CallRecord call(String runId, String key, int index, String kind) {
    JsonNode req = JsonNodeFactory.instance.objectNode().put("i", index);
    return new CallRecord(
        runId,
        key,
        index,
        CallKind.fromWireName(kind),
        "m",
        "h" + index,
        req,
        NullNode.getInstance(),
        BudgetUsage.ZERO,
        T0,
        Duration.ZERO);
  }

  @Test
  void inMemory_callsOfRun_allStepsInAppendOrderAndEmptyForUnknownRun() {
    try (CheckpointStore store = CheckpointStore.inMemory(10)) {
      CallRecord a0 = call("r1", "a#0", 0, "llm");
      CallRecord b0 = call("r1", "b#0", 0, "llm");
      CallRecord a1 = call("r1", "a#0", 1, "tool");
      CallRecord b1 = call("r1", "b#0", 1, "intent");
      try (RunLog log = store.create(run("r1"))) {
        log.appendCall(a0);
        log.appendCall(b0);
        log.appendCall(a1);
        log.appendStep(
            new StepRecord(
                "r1",
                "b#0",
                "b",
                0,
                StepStatus.COMPLETED,
                NullNode.getInstance(),
                null,
                T0,
                Duration.ZERO,
                BudgetUsage.ZERO),
            List.of(b1));
      }
      try (RunLog log = store.create(run("r2"))) {
        log.appendCall(call("r2", "a#0", 0, "llm"));
      }

      assertThat(store.calls("r1")).containsExactly(a0, b0, a1, b1);
      assertThat(store.calls("nope")).isEmpty();
    }
  }

  @Test
  void defaultCalls_storeThatDoesNotOverride_isEmpty() {
    CheckpointStore minimal =
        new CheckpointStore() {
          @Override
          public RunLog create(RunRecord run) {
            throw new UnsupportedOperationException();
          }

          @Override
          public RunLog open(String runId) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<RunRecord> find(String runId) {
            return Optional.empty();
          }

          @Override
          public List<RunRecord> list(RunQuery query) {
            return List.of();
          }

          @Override
          public List<StepRecord> steps(String runId) {
            return List.of();
          }

          @Override
          public void close() {}
        };
    assertThat(minimal.calls("r1")).isEmpty();
  }
}
