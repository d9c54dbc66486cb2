package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt prune}, in process. The tests that delete runs need {@code
 * SqliteCheckpointStore.prune} (they are skipped, saying so, on a build without it).
 */
class PruneCommandTest {
  @TempDir Path dir;
  final InProcessCli cli = new InProcessCli();
  final String nl = System.lineSeparator();

  @BeforeEach
  void setUp() throws IOException {
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
    config("");
  }

  private void config(String retention) throws IOException {
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "'" + retention + "}\n");
  }

  int execute(String... args) {
    return cli.execute(args);
  }

  private void threeRuns() {
    String c = dir.toString();
    for (String id : List.of("r1", "r2", "r3"))
      assertThat(execute("run", "w", "--config", c, "--run-id", id))
          .as(cli.err.toString())
          .isZero();
  }

  private List<String> runIds() {
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("runs.db"))) {
      return store.list(RunQuery.all()).stream().map(RunRecord::runId).sorted().toList();
    }
  }

  @Test
  void prune_keepLast_deletesOlderFinishedRunsAndSaysHowMany() throws Exception {
    threeRuns();

    assertThat(execute("prune", "--keep-last", "1", "--config", dir.toString()))
        .as(cli.err.toString())
        .isZero();
    assertThat(cli.out.toString()).isEqualTo("Deleted 2 runs (kept the newest 1)" + nl);
    assertThat(runIds()).containsExactly("r3");

    assertThat(execute("prune", "--max-age", "30d", "--config", dir.toString())).isZero();
    assertThat(cli.out.toString()).isEqualTo("Deleted 0 runs (older than 30d)" + nl);
    assertThat(runIds()).containsExactly("r3");
  }

  @Test
  void prune_noOptions_appliesConfigRetention_json() throws Exception {
    threeRuns();
    config(", retention: {keep_last: 2, max_age: 30d}");

    assertThat(execute("prune", "--json", "--config", dir.toString()))
        .as(cli.err.toString())
        .isZero();
    JsonNode o = RunReport.MAPPER.readTree(cli.out.toString());
    assertThat(o.path("ok").asBoolean()).isTrue();
    assertThat(o.path("deleted").asInt()).isEqualTo(1);
    assertThat(o.path("keepLast").asInt()).isEqualTo(2);
    assertThat(o.path("maxAge").asText()).isEqualTo("PT720H");
    assertThat(o.path("rules").asText()).isEqualTo("config");
    assertThat(runIds()).containsExactly("r2", "r3");
  }

  @Test
  void prune_noOptionsAndNoRetention_isAUsageErrorSayingWhatToGive() {
    assertThat(execute("prune", "--config", dir.toString())).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString())
        .startsWith(
            "prune: no rule to apply: give --keep-last N and/or --max-age DURATION, or set"
                + " checkpoint.retention: {keep_last: N, max_age: 30d} in config.yml"
                + nl)
        .doesNotContain("Exception");
    assertThat(cli.out.toString()).isEmpty();

    assertThat(execute("prune", "--json", "--config", dir.toString())).isEqualTo(ExitCode.USAGE);
    assertThat(cli.out.toString()).contains("\"ok\":false").contains("no rule to apply");
  }

  @Test
  void prune_badOptions_areUsageErrorsEchoingTheValue() {
    assertThat(execute("prune", "--max-age", "soon", "--config", dir.toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString())
        .startsWith(
            "--max-age: 'soon' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like"
                + " PT30S)");

    assertThat(execute("prune", "--keep-last", "-1", "--config", dir.toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString()).startsWith("--keep-last must be 0 or more, was -1");
  }

  @Test
  void prune_storeThatCannotDeleteRuns_isAUserErrorNamingTheStore() {
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .discovery(false)
            .checkpointStore(new NoPruneStore())
            .build()) {
      assertThatThrownBy(() -> PruneCommand.prune(rt, 5, null))
          .isInstanceOf(AgentrtException.class)
          .hasMessage(
              "prune: the checkpoint store NoPruneStore cannot delete runs (it does not implement"
                  + " CheckpointStore.prune); set checkpoint: {store: sqlite} in config.yml");
    }
  }

  @Test
  void human_wholeUnits_shortForm() {
    assertThat(PruneCommand.human(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(PruneCommand.human(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(PruneCommand.human(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(PruneCommand.human(Duration.ofSeconds(61))).isEqualTo("61s");
    assertThat(PruneCommand.human(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
  }

  /** A store that keeps runs in memory and does not implement {@code prune}. */
  private static final class NoPruneStore implements CheckpointStore {
    private final CheckpointStore runs = CheckpointStore.inMemory(10);

    @Override
    public RunLog create(RunRecord run) {
      return runs.create(run);
    }

    @Override
    public RunLog open(String runId) {
      return runs.open(runId);
    }

    @Override
    public Optional<RunRecord> find(String runId) {
      return runs.find(runId);
    }

    @Override
    public List<RunRecord> list(RunQuery query) {
      return runs.list(query);
    }

    @Override
    public List<StepRecord> steps(String runId) {
      return runs.steps(runId);
    }

    @Override
    public void close() {
      runs.close();
    }
  }
}
