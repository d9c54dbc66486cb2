package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.Worker;
import dev.agentrt.core.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs queued by one runtime and executed by another runtime's worker, through the database. */
class PostgresWorkerTest {
  @TempDir Path dir;

  @Test
  void recoverOrphaned_runsQueuedByAnotherRuntime_executesEachOnceToCompletion() throws Exception {
    String url = TestDatabase.newSchema();
    Path agent = Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(
        agent.getParent().resolve("config.yml"),
        "checkpoint: {store: postgres, url: '" + url + "', user: postgres}\n");
    Files.writeString(
        agent.resolve("hello.yml"),
        """
        id: hello
        nodes:
          - {id: start, role: start}
          - {id: greet, kind: transform, template: {greeting: "Hello, {{input.name}}!"}}
          - {id: done, role: exit, output: "{{greet}}"}
        edges:
          - {from: start, to: greet}
          - {from: greet, to: done}
        """);

    try (AgentRuntime producer = AgentRuntime.builder().configDir(agent.getParent()).build();
        AgentRuntime workers = AgentRuntime.builder().configDir(agent.getParent()).build()) {
      List<RunHandle> queued = new ArrayList<>();
      for (String name : List.of("Ada", "Grace", "Edsger")) {
        queued.add(
            producer.enqueue(
                "hello", Map.of("name", name), RunOptions.builder().leaveToWorkers().build()));
      }
      assertThat(producer.checkpointStore().find(queued.get(0).runId()).orElseThrow().status())
          .isEqualTo(RunStatus.QUEUED);

      Worker w = workers.recoverOrphaned();
      assertThat(w.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(w.executed()).isEqualTo(3);

      List<RunRecord> runs = new ArrayList<>();
      for (RunHandle h : queued) {
        runs.add(workers.checkpointStore().find(h.runId()).orElseThrow());
        assertThat(h.await(Duration.ofSeconds(10)).status())
            .as("the producer's handle sees the run end in the database")
            .isEqualTo(RunStatus.COMPLETED);
      }
      assertThat(runs).extracting(RunRecord::status).containsOnly(RunStatus.COMPLETED);
      assertThat(runs.get(1).output()).isEqualTo(Fixtures.json("{\"greeting\":\"Hello, Grace!\"}"));
    }
    assertThat(
            TestDatabase.count(
                url, "SELECT count(*) FROM agentrt_run_events WHERE event = 'claimed'"))
        .isEqualTo(3);
  }
}
