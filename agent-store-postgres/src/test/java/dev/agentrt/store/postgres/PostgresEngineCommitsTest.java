package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engine's run costs in transactions: the start step commits with the first step, and the
 * exit step, the final status and the lease's release with one another. Each row's {@code xmin}
 * names the transaction that wrote it, so the test reads the grouping from the rows themselves.
 */
class PostgresEngineCommitsTest {
  @TempDir Path dir;

  @Test
  void run_tenSteps_twelveTransactions_startWithTheFirstStep_exitWithStatusAndRelease()
      throws Exception {
    StringBuilder wf = new StringBuilder("id: ten\nnodes:\n  - {id: start, role: start}\n");
    for (int i = 1; i <= 10; i++) {
      wf.append("  - {id: n").append(i).append(", kind: transform, template: v").append(i);
      wf.append("}\n");
    }
    wf.append("  - {id: done, role: exit, output: \"{{n10}}\"}\nedges:\n");
    wf.append("  - {from: start, to: n1}\n");
    for (int i = 1; i < 10; i++) {
      wf.append("  - {from: n").append(i).append(", to: n").append(i + 1).append("}\n");
    }
    wf.append("  - {from: n10, to: done}\n");
    Path agent = Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(dir.resolve(".agent/config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(agent.resolve("ten.yml"), wf.toString());
    String url = TestDatabase.newSchema();
    PostgresCheckpointStore store =
        PostgresCheckpointStore.open(TestDatabase.options(url).ownerId("engine-a").build());
    store.internals().heartbeat(false); // no renewal transaction in between
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .discovery(false)
            .checkpointStore(store)
            .runIds(() -> "r1")
            .build()) {
      RunResult r = rt.run("ten", Map.of());
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
    }

    List<String> keys =
        TestDatabase.strings(url, "SELECT step_key FROM agentrt_steps ORDER BY seq");
    List<String> stepTx =
        TestDatabase.strings(url, "SELECT xmin::text FROM agentrt_steps ORDER BY seq");
    List<String> expected = new ArrayList<>(List.of("start#0"));
    IntStream.rangeClosed(1, 10).forEach(i -> expected.add("n" + i + "#0"));
    expected.add("done#0");
    assertThat(keys).containsExactlyElementsOf(expected);
    String runTx = TestDatabase.strings(url, "SELECT xmin::text FROM agentrt_runs").get(0);
    List<String> events =
        TestDatabase.strings(
            url, "SELECT event || ' ' || xmin::text FROM agentrt_run_events ORDER BY id");

    assertThat(stepTx.get(0)).as("start#0 commits with n1#0").isEqualTo(stepTx.get(1));
    assertThat(stepTx.get(11))
        .as("done#0 commits with the status and the release")
        .isEqualTo(runTx);
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).startsWith("created ");
    assertThat(events.get(1)).isEqualTo("released " + runTx);
    Set<String> transactions = new HashSet<>(stepTx);
    transactions.add(runTx);
    transactions.add(events.get(0).substring("created ".length()));
    assertThat(transactions).as("run, 10 steps, finish").hasSize(12);
  }
}
