package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Without {@code checkpoint:} in config.yml runs are kept in memory, so each command (a new
 * process) says so where a run of another command would be expected; in process.
 */
class DefaultStoreCommandTest {
  static final String NOTE =
      "config.yml has no checkpoint: section, so runs are kept in memory and end with their"
          + " process; set checkpoint: {store: sqlite} to list, show and resume runs";

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("config.yml"), "models: {}\n");
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: approve, kind: transform, template: "ok", interrupt: before}
          - {id: done, role: exit, output: "{{approve}}"}
        edges:
          - {from: start, to: approve}
          - {from: approve, to: done}
        """);
  }

  int execute(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return Main.execute(cl, args);
  }

  @Test
  void run_waitingWithDefaultStore_saysTheRunCannotBeResumedLater() throws Exception {
    int code = execute("run", "w", "--config", dir.toString(), "--json");

    assertThat(code).as(out + "\n" + err).isEqualTo(ExitCode.WAITING);
    String runId = RunReport.MAPPER.readTree(out.toString()).get("runId").asText();
    assertThat(err.toString())
        .isEqualTo(
            "agentrt: run '"
                + runId
                + "' cannot be resumed by a later command: "
                + NOTE
                + System.lineSeparator());
  }

  @Test
  void runs_defaultStore_saysWhyNoRunIsListed() {
    int code = execute("runs", "--config", dir.toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).isEqualTo("(no runs)\n");
    assertThat(err.toString()).isEqualTo("agentrt: " + NOTE + System.lineSeparator());
  }

  @Test
  void run_waitingWithSqliteStore_printsNoNote() throws IOException {
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "'}\n");

    int code = execute("run", "w", "--config", dir.toString(), "--json");

    assertThat(code).as(out + "\n" + err).isEqualTo(ExitCode.WAITING);
    assertThat(err.toString()).isEmpty();
  }
}
