package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentrt backup FILE}, in process: a copy that opens as a store with the same runs. */
class BackupCommandTest {
  @TempDir Path dir;
  final InProcessCli cli = new InProcessCli();

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
  }

  private void config(String checkpoint) throws IOException {
    Files.writeString(dir.resolve("config.yml"), "checkpoint: " + checkpoint + "\n");
  }

  int execute(String... args) {
    return cli.execute(args);
  }

  @Test
  void backup_sqliteStore_writesACopyWithTheSameRuns_andNeverOverwrites() throws IOException {
    config("{store: sqlite, path: '" + dir.resolve("runs.db") + "'}");
    String c = dir.toString();
    assertThat(execute("run", "w", "--config", c)).isZero();
    assertThat(execute("run", "w", "--config", c)).isZero();
    Path copy = dir.resolve("backup/runs.db");

    assertThat(execute("backup", copy.toString(), "--config", c)).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString())
        .isEqualTo("Backed up 2 runs to " + copy + System.lineSeparator());
    try (SqliteCheckpointStore restored = SqliteCheckpointStore.open(copy)) {
      assertThat(restored.list(RunQuery.all())).hasSize(2);
    }

    assertThat(execute("backup", copy.toString(), "--config", c)).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString()).contains("the file exists (give a new file");
  }

  @Test
  void backup_inMemoryStore_isAUsageErrorSayingWhatToSet() throws IOException {
    config("{store: memory}");

    assertThat(execute("backup", dir.resolve("b.db").toString(), "--config", dir.toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err.toString()).contains("set checkpoint: {store: sqlite}");
    assertThat(dir.resolve("b.db")).doesNotExist();
  }
}
