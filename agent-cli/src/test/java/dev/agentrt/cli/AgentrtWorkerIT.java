package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.RunStatus;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt enqueue} stores runs as queued without executing them; an {@code agentrt worker}
 * process executes them, reports each, and on SIGTERM drains and exits as a JVM does (143).
 */
class AgentrtWorkerIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void enqueuedRuns_areExecutedByAWorkerProcess_whichDrainsOnSigterm() throws Exception {
    Path config = dir.resolve("agent");
    Path db = dir.resolve("runs.db");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.writeString(
        config.resolve("workflows/greet.yml"),
        """
        id: greet
        nodes:
          - {id: start, role: start}
          - {id: hello, kind: transform, template: "hello {{input.name}}"}
          - {id: done, role: exit, output: "{{hello}}"}
        edges:
          - {from: start, to: hello}
          - {from: hello, to: done}
        """);
    List<String> ids = new ArrayList<>();
    for (String name : List.of("ada", "bob", "cy")) {
      Agentrt.Result r =
          Agentrt.execute(
              "enqueue",
              "greet",
              "--config",
              config.toString(),
              "--input",
              "{\"name\": \"" + name + "\"}",
              "--json");
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      ids.add(MAPPER.readTree(r.stdout()).get("run_id").asText());
    }
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      for (String id : ids) {
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
      }
    }

    Process worker =
        Agentrt.startReading(
            "worker", "--config", config.toString(), "--concurrency", "2", "--poll", "PT0.05S");
    Set<String> done = new HashSet<>();
    List<String> lines = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    for (String line; done.size() < 3 && (line = out.readLine()) != null; ) {
      lines.add(line);
      if (line.endsWith(" greet COMPLETED")) done.add(line.substring(0, line.indexOf(' ')));
    }
    assertThat(done).as(String.join("\n", lines)).containsExactlyInAnyOrderElementsOf(ids);

    worker.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
    StringBuilder rest = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) rest.append(line).append('\n');
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as(rest.toString()).isEqualTo(143); // 128 + SIGTERM, drained
    assertThat(rest.toString()).contains("worker stopped after 3 runs").doesNotContain("\tat ");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      for (String id : ids) {
        assertThat(store.find(id).orElseThrow().output().asText()).startsWith("hello ");
      }
    }
  }
}
