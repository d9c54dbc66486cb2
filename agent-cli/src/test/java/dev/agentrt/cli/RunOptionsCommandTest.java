package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --run-id --label} and {@code runs --label}, in process, on a SQLite store. */
class RunOptionsCommandTest {
  @TempDir Path dir;
  final InProcessCli cli = new InProcessCli();

  @BeforeEach
  void setUp() throws IOException {
    // an absolute path: a relative one is resolved against the working directory
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "'}\n");
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, output: "ok"}
        edges:
          - {from: start, to: done}
        """);
  }

  int execute(String... args) {
    return cli.execute(args);
  }

  @Test
  void run_withRunIdAndLabels_thenRunsFindsItByLabel() throws Exception {
    String config = dir.toString();
    assertThat(
            execute(
                "run", "w", "--config", config, "--run-id", "order-7", "--label", "tenant=acme"))
        .as(cli.err.toString())
        .isZero();
    assertThat(execute("run", "w", "--config", config, "--label", "tenant=globex")).isZero();

    assertThat(execute("runs", "--config", config, "--label", "tenant=acme", "--json")).isZero();
    JsonNode runs = RunReport.MAPPER.readTree(cli.out.toString());
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("runId").asText()).isEqualTo("order-7");
  }

  @Test
  void run_usedRunIdOrMalformedLabel_isAUsageErrorSayingWhatToChange() {
    String config = dir.toString();
    assertThat(execute("run", "w", "--config", config, "--run-id", "r1")).isZero();

    assertThat(execute("run", "w", "--config", config, "--run-id", "r1")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString())
        .isEqualTo(
            "agentrt: run id 'r1' is already used by a run of workflow 'w' (COMPLETED); choose"
                + " another id, or resume that run"
                + System.lineSeparator());
    assertThat(execute("run", "w", "--config", config, "--label", "tenant"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString()).contains("--label tenant: write KEY=VALUE");
  }
}
