package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forked run's parent in {@code runs} and {@code show}: rendering from run records, and end to
 * end ({@code fork} then {@code runs}/{@code show}, in process) on a SQLite store, which needs the
 * store to keep lineage (skipped, saying so, on a build where it does not).
 */
class LineageCommandTest {
  static final Instant T = Instant.parse("2026-12-06T05:00:00Z");

  @TempDir Path dir;
  final InProcessCli cli = new InProcessCli();

  static RunRecord record(String runId, @Nullable String parent, @Nullable String step) {
    return new RunRecord(
        runId,
        "w",
        "hash",
        "0.1.0",
        RunReport.MAPPER.createObjectNode(),
        RunStatus.COMPLETED,
        null,
        null,
        null,
        NullNode.getInstance(),
        T,
        T,
        Map.of(),
        null,
        null,
        0,
        parent,
        step);
  }

  @Test
  void table_forkedRun_hasForkedFromColumnWithParentAndStep() {
    RunRecord fork = record("r2", "r1", "a#0");
    RunRecord original = record("r1", null, null);

    String table = RunsCommand.table(List.of(RunSummary.of(fork), RunSummary.of(original)));

    assertThat(table.lines())
        .containsExactly(
            "RUN  WORKFLOW  STATUS     REASON  CREATED               UPDATED               FORKED FROM",
            "r2   w         COMPLETED  -       2026-12-06T05:00:00Z  2026-12-06T05:00:00Z  r1@a#0",
            "r1   w         COMPLETED  -       2026-12-06T05:00:00Z  2026-12-06T05:00:00Z  -");
  }

  @Test
  void table_noForkedRun_keepsItsColumns() {
    String table = RunsCommand.table(List.of(RunSummary.of(record("r1", null, null))));

    assertThat(table.lines().findFirst().orElseThrow())
        .isEqualTo("RUN  WORKFLOW  STATUS     REASON  CREATED               UPDATED");
  }

  @Test
  void show_forkedRun_saysFromWhichRunAndStep_textAndJson() throws Exception {
    RunRecord fork = record("r2", "r1", "each#0[1]/item#0");

    assertThat(ShowCommand.text(fork, List.of(), BudgetUsage.ZERO).lines())
        .startsWith("Run r2 of workflow w", "  forked from r1 at each#0[1]/item#0");
    JsonNode json = RunReport.MAPPER.readTree(ShowCommand.json(fork, List.of(), BudgetUsage.ZERO));
    assertThat(json.path("parentRunId").asText()).isEqualTo("r1");
    assertThat(json.path("forkedFromStep").asText()).isEqualTo("each#0[1]/item#0");
  }

  @Test
  void show_originalRun_hasNoLineage() throws Exception {
    RunRecord original = record("r1", null, null);

    assertThat(ShowCommand.text(original, List.of(), BudgetUsage.ZERO)).doesNotContain("forked");
    JsonNode json =
        RunReport.MAPPER.readTree(ShowCommand.json(original, List.of(), BudgetUsage.ZERO));
    assertThat(json.has("parentRunId")).isFalse();
    assertThat(json.has("forkedFromStep")).isFalse();
  }

  // ------------------------------------------------------------------ end to end, SQLite

  @BeforeEach
  void setUp() throws IOException {
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
          - {id: a, kind: transform, template: "a"}
          - {id: done, role: exit, output: "{{a}}"}
        edges:
          - {from: start, to: a}
          - {from: a, to: done}
        """);
  }

  /**
   * Whether the SQLite store keeps a run's parent and fork step, in its record and, with {@code
   * listed}, in its summary (the SQLite branch adds them).
   */
  private String fork() throws IOException {
    String c = dir.toString();
    assertThat(cli.execute("run", "w", "--config", c, "--run-id", "r1"))
        .as(cli.err.toString())
        .isZero();
    assertThat(cli.execute("fork", "r1", "--at", "a#0", "--config", c, "--json"))
        .as(cli.err.toString())
        .isZero();
    return RunReport.MAPPER.readTree(cli.out.toString()).path("runId").asText();
  }

  @Test
  void runs_afterFork_listsTheForkWithItsParent_textAndJson() throws Exception {
    String fork = fork();
    String c = dir.toString();

    assertThat(cli.execute("runs", "--config", c)).as(cli.err.toString()).isZero();
    List<String> lines = cli.out.toString().lines().toList();
    assertThat(lines.get(0)).endsWith("FORKED FROM");
    assertThat(lines).anyMatch(l -> l.startsWith(fork + " ") && l.endsWith(" r1@a#0"));
    assertThat(lines).anyMatch(l -> l.startsWith("r1 ") && l.endsWith(" -"));

    assertThat(cli.execute("runs", "--config", c, "--json")).isZero();
    JsonNode runs = RunReport.MAPPER.readTree(cli.out.toString());
    assertThat(runs).hasSize(2);
    for (JsonNode r : runs) {
      if (r.path("runId").asText().equals(fork)) {
        assertThat(r.path("parentRunId").asText()).isEqualTo("r1");
        assertThat(r.path("forkedFromStep").asText()).isEqualTo("a#0");
      } else {
        assertThat(r.has("parentRunId")).isFalse();
      }
    }
  }

  @Test
  void show_afterFork_saysForkedFrom_textAndJson() throws Exception {
    String fork = fork();
    String c = dir.toString();

    assertThat(cli.execute("show", fork, "--config", c)).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString().lines()).contains("  forked from r1 at a#0");

    assertThat(cli.execute("show", fork, "--config", c, "--json")).isZero();
    JsonNode json = RunReport.MAPPER.readTree(cli.out.toString());
    assertThat(json.path("parentRunId").asText()).isEqualTo("r1");
    assertThat(json.path("forkedFromStep").asText()).isEqualTo("a#0");
  }
}
