package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.manifest.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} and {@code graph} load the directory without a runtime: no store, no thread. */
class ValidateCommandTest {
  @TempDir Path dir;
  Path db;

  @BeforeEach
  void setUp() throws IOException {
    db = dir.resolve("var/runs.db");
    Files.writeString(
        dir.resolve("config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: read, kind: tool, tool: fs.read, args: {path: README.md}}
          - {id: done, role: exit}
        edges:
          - {from: start, to: read}
          - {from: read, to: done}
        """);
  }

  @Test
  void validate_sqliteStoreConfigured_createsNoDatabaseFile() {
    assertThat(Main.execute("validate", "--config", dir.toString())).isZero();

    assertThat(db).doesNotExist();
    assertThat(db.getParent()).doesNotExist();
  }

  @Test
  void graph_sqliteStoreConfigured_createsNoDatabaseFile() {
    assertThat(Main.execute("graph", "w", "--config", dir.toString())).isZero();

    assertThat(db.getParent()).doesNotExist();
  }

  @Test
  void validate_validDirectory_leavesNoNewThread() throws InterruptedException {
    // the validator is built once per JVM on a thread of its own: let it finish before counting
    ManifestLoader.builder().discovery(false).build().load(dir);
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("agentrt-validator-init")) t.join();
    }
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());

    assertThat(Main.execute("validate", "--config", dir.toString())).isZero();
    assertThat(Main.execute("graph", "w", "--config", dir.toString())).isZero();

    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> !t.isAlive());
    assertThat(after).extracting(Thread::getName).isEmpty();
  }

  @Test
  void validate_malformedToolPolicy_isReportedAtItsKey_asTheRuntimeWouldReportIt()
      throws IOException {
    Files.writeString(
        dir.resolve("config.yml"),
        "policy:\n  workspace: .\n  tools:\n    fs.read:\n      timeout: soon\n");

    assertThat(ManifestLoader.ofDefaults().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            "config.yml:5:16: policy.tools.fs.read.timeout: 'soon' is not a duration"
                + " (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)");
    assertThat(Main.execute("validate", "--config", dir.toString())).isNotZero();
  }
}
