package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SqliteCheckpointStoreProviderTest {
  @TempDir Path dir;

  @Test
  void serviceLoader_findsSqliteProvider() {
    assertThat(ServiceLoader.load(CheckpointStoreProvider.class).stream().map(p -> p.get().name()))
        .contains("sqlite");
  }

  @Test
  void build_configNamesSqliteStore_runsAreKeptInTheConfiguredFileWithItsSettings()
      throws Exception {
    Path config = Files.createDirectories(dir.resolve(".agent/workflows"));
    Path db = dir.resolve("state/runs.db");
    Files.writeString(
        dir.resolve(".agent/config.yml"),
        "checkpoint: {store: sqlite, path: '" + db + "', synchronous: full, lease_ttl: 300ms}\n");
    Files.writeString(
        config.resolve("hello.yml"),
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
    String runId;
    try (AgentRuntime rt = AgentRuntime.builder().configDir(dir.resolve(".agent")).build()) {
      assertThat(rt.checkpointStore()).isInstanceOf(SqliteCheckpointStore.class);
      SqliteCheckpointStore store = (SqliteCheckpointStore) rt.checkpointStore();
      assertThat(store.path()).isEqualTo(db);
      assertThat(store.options().synchronous()).isEqualTo(Synchronous.FULL);
      assertThat(store.options().leaseTtl()).isEqualTo(Duration.ofMillis(300));
      assertThat(store.internals().pragmas()).containsEntry("writer.synchronous", "2");
      RunResult r = rt.run("hello", Map.of("name", "Ada"));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      runId = r.runId();
    }
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThat(store.find(runId).orElseThrow().output())
          .isEqualTo(Fixtures.json("{\"greeting\":\"Hello, Ada!\"}"));
      assertThat(store.steps(runId)).hasSize(3);
    }
  }

  @Test
  void build_noCheckpointSection_keepsRunsInMemoryAndSaysSoOnce() throws Exception {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(dir.resolve(".agent/config.yml"), "models: {}\n");

    List<String> logged =
        infoLines(
            () -> {
              try (AgentRuntime rt =
                  AgentRuntime.builder().configDir(dir.resolve(".agent")).build()) {
                assertThat(rt.checkpointStore().getClass().getSimpleName())
                    .isEqualTo("InMemoryCheckpointStore");
              }
            });

    assertThat(logged)
        .containsExactly(
            "agentrt: runs are kept in memory (not kept after the JVM exits; set checkpoint:"
                + " {store: sqlite} in config.yml to keep them)");
  }

  @Test
  void build_sqliteStore_logsItsAbsolutePathOnce() throws Exception {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Path db = dir.resolve("state/runs.db");
    Files.writeString(
        dir.resolve(".agent/config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");

    List<String> logged =
        infoLines(
            () -> {
              try (AgentRuntime rt =
                  AgentRuntime.builder().configDir(dir.resolve(".agent")).build()) {
                assertThat(rt.checkpointStore()).isInstanceOf(SqliteCheckpointStore.class);
              }
            });

    assertThat(logged)
        .containsExactly("agentrt: runs are kept in sqlite " + db.toAbsolutePath().normalize());
  }

  @Test
  void build_checkpointSectionWithoutStore_usesTheSqliteStoreOnTheClasspath() throws Exception {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Path db = dir.resolve("runs.db");
    Files.writeString(dir.resolve(".agent/config.yml"), "checkpoint: {path: '" + db + "'}\n");

    try (AgentRuntime rt = AgentRuntime.builder().configDir(dir.resolve(".agent")).build()) {
      assertThat(rt.checkpointStore()).isInstanceOf(SqliteCheckpointStore.class);
      assertThat(((SqliteCheckpointStore) rt.checkpointStore()).path()).isEqualTo(db);
    }
  }

  /** The INFO lines {@code AgentRuntime} logs while {@code action} runs. */
  private static List<String> infoLines(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(AgentRuntime.class);
    Level level = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    try {
      action.run();
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }
    return appender.list.stream()
        .filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void build_runtimeClock_isTheStoresClock() throws Exception {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(
        dir.resolve(".agent/config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "'}\n");
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    try (AgentRuntime rt =
        AgentRuntime.builder().configDir(dir.resolve(".agent")).clock(clock).build()) {
      assertThat(((SqliteCheckpointStore) rt.checkpointStore()).options().clock()).isSameAs(clock);
    }
  }

  @Test
  void build_leaseTtlOutOfRange_failsNamingTheKey() throws Exception {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(
        dir.resolve(".agent/config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "', lease_ttl: 5ms}\n");
    assertThatThrownBy(() -> AgentRuntime.builder().configDir(dir.resolve(".agent")).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("checkpoint.lease_ttl: must be between 10ms and 1 day, was PT0.005S");
  }

  @Test
  void build_configurationWithAProblem_createsNoDatabaseFile() throws Exception {
    Path config = Files.createDirectories(dir.resolve(".agent/workflows"));
    Path db = dir.resolve("state/runs.db");
    Files.writeString(
        dir.resolve(".agent/config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.writeString(
        config.resolve("broken.yml"),
        """
        id: broken
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: dne}
        """);

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(dir.resolve(".agent")).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("no node 'dne'");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void run_stepOutputTooDeepToStore_failsTheStepNamingItAndKeepsTheRunReadable() throws Exception {
    Path config = Files.createDirectories(dir.resolve(".agent/workflows"));
    Path db = dir.resolve("runs.db");
    Files.writeString(
        dir.resolve(".agent/config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.writeString(
        config.resolve("deep.yml"),
        """
        id: deep
        nodes:
          - {id: start, role: start}
          - {id: nest, kind: function, function: nest}
          - {id: done, role: exit}
        edges:
          - {from: start, to: nest}
          - {from: nest, to: done}
        """);
    String runId;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .function(
                "nest",
                (in, ctx) -> {
                  com.fasterxml.jackson.databind.node.ArrayNode root =
                      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                  com.fasterxml.jackson.databind.node.ArrayNode a = root;
                  for (int i = 0; i < 1_100; i++) a = a.addArray();
                  return root;
                })
            .build()) {
      RunResult r = rt.run("deep", Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(dev.agentrt.core.FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("nest#0");
      assertThat(r.message())
          .isEqualTo(
              "step 'nest#0' (node 'nest') failed: its output cannot be checkpointed (value"
                  + " cannot be written as JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)); return a"
                  + " smaller or flatter value");
      runId = r.runId();
    }
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
      assertThat(store.steps(runId))
          .extracting(s -> s.stepKey() + " " + s.status())
          .containsExactly("start#0 COMPLETED", "nest#0 FAILED");
    }
  }
}
