package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engine's run costs in commits on SQLite: the run's creation, then one per step, the start
 * step riding with the first one, and the exit step with the final status and the lease's release.
 */
class SqliteEngineCommitsTest {
  @TempDir Path dir;

  private Path config(String workflow) throws Exception {
    Path agent = Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(dir.resolve(".agent/config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(agent.resolve("wf.yml"), workflow);
    return dir.resolve(".agent");
  }

  @Test
  void run_tenSteps_twelveCommits_andEveryStepInTheLogInOrder() throws Exception {
    StringBuilder wf = new StringBuilder("id: wf\nnodes:\n  - {id: start, role: start}\n");
    for (int i = 1; i <= 10; i++)
      wf.append("  - {id: n")
          .append(i)
          .append(", kind: transform, template: v")
          .append(i)
          .append("}\n");
    wf.append(
        "  - {id: done, role: exit, output: \"{{n10}}\"}\nedges:\n  - {from: start, to: n1}\n");
    for (int i = 1; i < 10; i++)
      wf.append("  - {from: n").append(i).append(", to: n").append(i + 1).append("}\n");
    wf.append("  - {from: n10, to: done}\n");
    SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("runs.db"));
    store.internals().heartbeat(false); // no renewal in between
    long before;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(config(wf.toString()))
            .discovery(false)
            .checkpointStore(store)
            .runIds(() -> "r1")
            .build()) {
      before = store.internals().commits();
      RunResult r = rt.run("wf", Map.of());
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(store.internals().commits() - before).as("create, 10 steps, finish").isEqualTo(12);
      List<String> expected = new ArrayList<>(List.of("start#0"));
      IntStream.rangeClosed(1, 10).forEach(i -> expected.add("n" + i + "#0"));
      expected.add("done#0");
      assertThat(store.steps("r1"))
          .extracting(StepRecord::stepKey)
          .containsExactlyElementsOf(expected);
      assertThat(store.find("r1").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }
    assertThat(
            Fixtures.count(
                dir.resolve("runs.db"), "SELECT count(*) FROM runs WHERE lease_owner IS NULL"))
        .as("released")
        .isEqualTo(1);
  }

  @Test
  void run_waitingAtAnInterrupt_markerCommitsWithTheStatus_andResumeCompletesIt() throws Exception {
    String wf =
        """
        id: wf
        nodes:
          - {id: start, role: start}
          - {id: a, kind: transform, template: x}
          - {id: ask, kind: transform, template: y, interrupt: before}
          - {id: done, role: exit, output: "{{ask}}"}
        edges:
          - {from: start, to: a}
          - {from: a, to: ask}
          - {from: ask, to: done}
        """;
    SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("runs.db"));
    store.internals().heartbeat(false);
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(config(wf))
            .discovery(false)
            .checkpointStore(store)
            .runIds(() -> "r1")
            .build()) {
      long before = store.internals().commits();
      RunResult r = rt.run("wf", Map.of());
      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThat(store.internals().commits() - before)
          .as("create, a (with start), the marker with WAITING and the release")
          .isEqualTo(3);
      assertThat(store.steps("r1"))
          .extracting(s -> s.stepKey() + " " + s.status())
          .containsExactly("start#0 COMPLETED", "a#0 COMPLETED", "ask#0 SUSPENDED");

      RunResult resumed = rt.resume("r1", null);
      assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(resumed.output().asText()).isEqualTo("y");
    }
  }
}
