package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps steps compactly and gives back exactly the records it was given. */
class InMemoryCheckpointStoreTest {

  @Test
  void steps_compactAndNonCompactRecords_readBackEqualInAppendOrder() {
    List<StepRecord> given =
        List.of(
            new StepRecord(
                "r1",
                "start#0",
                "start",
                1,
                StepStatus.COMPLETED,
                NullNode.getInstance(),
                null,
                Instant.parse("2026-01-01T00:00:00.123Z"),
                Duration.ofNanos(1_234),
                new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO)),
            new StepRecord(
                "r1",
                "a#0",
                "a",
                2,
                StepStatus.FAILED,
                TextNode.valueOf("x"),
                "boom",
                Instant.parse("2026-01-01T00:00:00.123456789Z"),
                Duration.ofDays(3),
                new BudgetUsage(1, 10, 20, 0.5, 1, 2, Duration.ofMillis(7))),
            new StepRecord(
                "r1",
                "a#0",
                "a",
                0,
                StepStatus.SUSPENDED,
                NullNode.getInstance(),
                null,
                Instant.parse("1969-12-31T23:59:59.999Z"),
                Duration.ZERO,
                BudgetUsage.ZERO),
            new StepRecord(
                "r1",
                "b#0",
                "b",
                300,
                StepStatus.COMPLETED,
                TextNode.valueOf("y"),
                null,
                Instant.parse("2026-01-01T00:00:01Z"),
                Duration.ofMillis(5),
                BudgetUsage.ZERO),
            new StepRecord(
                "r1",
                "c#0",
                "c",
                3,
                StepStatus.COMPLETED,
                TextNode.valueOf("z"),
                null,
                Instant.parse("2026-01-01T00:00:02Z"),
                Duration.ofSeconds(40),
                new BudgetUsage(1, 500, 60, 0.01, 1, 0, Duration.ofSeconds(41))));
    try (CheckpointStore store = CheckpointStore.inMemory(10)) {
      try (RunLog log = store.create(CheckpointStoreCallsTest.run("r1"))) {
        for (StepRecord s : given) log.appendStep(s, List.of());
      }

      assertThat(store.steps("r1")).containsExactlyElementsOf(given);
      try (RunLog reopened = store.open("r1")) {
        assertThat(reopened.steps()).containsExactlyElementsOf(given);
        assertThat(reopened.calls("a#0")).isEmpty();
      }
    }
  }

  @Test
  void run_everyFieldOfTheRecord_readBackEqual_afterAStatusUpdate() {
    RunRecord r =
        new RunRecord(
            "r1",
            "w",
            "h",
            "v",
            TextNode.valueOf("in"),
            dev.agentrt.core.RunStatus.RUNNING,
            null,
            null,
            null,
            NullNode.getInstance(),
            Instant.parse("2026-01-01T00:00:00.123456789Z"),
            Instant.parse("2026-01-01T00:00:00.123456789Z"),
            java.util.Map.of("tenant", "acme"),
            dev.agentrt.core.BudgetLimits.builder().maxHops(3).build(),
            Instant.parse("2026-01-01T01:00:00Z"));
    java.time.Clock clock =
        java.time.Clock.fixed(Instant.parse("2026-01-01T00:00:05.5Z"), java.time.ZoneOffset.UTC);
    try (CheckpointStore store = CheckpointStore.inMemory(10, clock)) {
      try (RunLog log = store.create(r)) {
        assertThat(log.run()).isEqualTo(r);
        log.updateStatus(
            dev.agentrt.core.RunStatus.WAITING,
            dev.agentrt.core.FailureReason.INTERRUPTED,
            "a#0",
            "waits",
            TextNode.valueOf("out"));
      }

      assertThat(store.find("r1"))
          .contains(
              r.withStatus(
                  dev.agentrt.core.RunStatus.WAITING,
                  dev.agentrt.core.FailureReason.INTERRUPTED,
                  "a#0",
                  "waits",
                  TextNode.valueOf("out"),
                  clock.instant()));
    }
  }
}
