package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunOptions: the caller's run id, labels, limits, listener and deadline for one run. */
class RunOptionsTest {
  @TempDir Path dir;

  private static final String STEPS =
      """
      id: steps
      nodes:
        - {id: start, role: start}
        - {id: a, kind: transform, template: 1}
        - {id: b, kind: transform, template: 2, interrupt: after}
        - {id: c, kind: transform, template: 3}
        - {id: d, kind: transform, template: 4}
        - {id: done, role: exit}
      edges:
        - {from: start, to: a}
        - {from: a, to: b}
        - {from: b, to: c}
        - {from: c, to: d}
        - {from: d, to: done}
      """;

  @Test
  void runId_isTheCallers_andAUsedOneIsRefusedNamingTheRun() {
    try (AgentRuntime rt = runtime(dir, STEPS).build()) {
      RunResult r = rt.run("steps", Map.of(), RunOptions.builder().runId("order-4711").build());

      assertThat(r.runId()).isEqualTo("order-4711");
      assertThatThrownBy(
              () -> rt.run("steps", Map.of(), RunOptions.builder().runId("order-4711").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "run id 'order-4711' is already used by a run of workflow 'steps' (WAITING); choose"
                  + " another id, or resume that run");
      assertThat(rt.checkpointStore().list(RunQuery.all())).hasSize(1);
    }
  }

  @Test
  void runId_malformed_isRefusedWhenSet() {
    assertThatThrownBy(() -> RunOptions.builder().runId("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run id '../etc/passwd' is not valid");
    assertThatThrownBy(() -> RunOptions.builder().label("tenant id", "x"))
        .hasMessageContaining("label key 'tenant id' is not valid");
  }

  @Test
  void labels_areStoredWithTheRun_andQueryable() {
    try (AgentRuntime rt = runtime(dir, STEPS).build()) {
      RunResult acme =
          rt.run("steps", Map.of(), RunOptions.builder().label("tenant", "acme").build());
      rt.run(
          "steps",
          Map.of(),
          RunOptions.builder().label("tenant", "globex").label("tier", "gold").build());
      rt.run("steps", Map.of());

      List<RunRecord> found =
          rt.checkpointStore().list(RunQuery.builder().label("tenant", "acme").build());
      assertThat(found).extracting(RunRecord::runId).containsExactly(acme.runId());
      assertThat(found.get(0).labels()).isEqualTo(Map.of("tenant", "acme"));
      assertThat(rt.checkpointStore().list(RunQuery.builder().label("tier", "gold").build()))
          .extracting(RunRecord::labels)
          .containsExactly(Map.of("tenant", "globex", "tier", "gold"));
    }
  }

  @Test
  void budget_overridesTheWorkflows_andAResumeKeepsIt() {
    try (AgentRuntime rt = runtime(dir, STEPS).build()) {
      RunOptions threeHops =
          RunOptions.builder().budget(BudgetLimits.builder().maxHops(3).build()).build();
      RunResult waiting = rt.run("steps", Map.of(), threeHops);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);

      RunResult r = rt.resume(waiting.runId(), Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message()).contains("max_hops: 3");
      // without the override the same workflow completes
      RunResult free = rt.run("steps", Map.of());
      assertThat(rt.resume(free.runId(), Map.of()).status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void listener_hearsItsRunOnly() {
    try (AgentRuntime rt = runtime(dir, STEPS).build()) {
      List<RunEvent> heard = new CopyOnWriteArrayList<>();
      RunListener listener =
          new RunListener() {
            @Override
            public void onEvent(RunEvent event) {
              heard.add(event);
            }
          };
      RunResult mine = rt.run("steps", Map.of(), RunOptions.builder().listener(listener).build());
      rt.run("steps", Map.of());

      assertThat(heard).isNotEmpty().allMatch(e -> e.runId().equals(mine.runId()));
      assertThat(heard.get(0)).isInstanceOf(RunEvent.RunStarted.class);
      assertThat(heard.get(heard.size() - 1)).isInstanceOf(RunEvent.RunSuspended.class);
    }
  }

  @Test
  void deadline_passedWhileWaiting_stopsTheResumedRun() {
    ManualTime time = new ManualTime(Instant.parse("2026-12-06T10:00:00Z"));
    try (AgentRuntime rt = runtime(dir, STEPS).clock(time).sleeper(time.waiting()).build()) {
      Instant deadline = time.instant().plusSeconds(60);
      RunResult waiting =
          rt.run("steps", Map.of(), RunOptions.builder().deadline(deadline).build());
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      time.advance(Duration.ofMinutes(2));

      RunResult r = rt.resume(waiting.runId(), Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message()).startsWith("deadline passed: the run was to end by " + deadline);
    }
  }
}
