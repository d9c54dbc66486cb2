package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import dev.agentrt.core.spi.StepRecord;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code postgres} store chosen in config.yml, and the engine running over it. */
class PostgresCheckpointStoreProviderTest {
  private static final String APPROVE =
      """
      id: approve
      nodes:
        - {id: start, role: start}
        - {id: draft, kind: function, function: draft}
        - id: publish
          kind: transform
          interrupt: before
          template: {text: "{{draft.text}}", approved: "{{$resume.publish.approved}}"}
        - {id: done, role: exit, output: "{{publish}}"}
      edges:
        - {from: start, to: draft}
        - {from: draft, to: publish}
        - {from: publish, to: done}
      """;

  @TempDir Path dir;

  @Test
  void serviceLoader_findsPostgresProvider() {
    assertThat(ServiceLoader.load(CheckpointStoreProvider.class).stream().map(p -> p.get().name()))
        .containsExactly("postgres");
  }

  @Test
  void build_configNamesPostgres_runsAWorkflowAndASecondRuntimeResumesItsWaitingRun()
      throws Exception {
    String url = TestDatabase.newSchema();
    Path agent =
        config(
            "checkpoint: {store: postgres, url: '"
                + url
                + "', user: postgres,"
                + " password: '${env:AGENTRT_TEST_UNSET_PASSWORD:-}', lease_ttl: 2s}\n");
    Files.writeString(agent.resolve("workflows/approve.yml"), APPROVE);
    AtomicInteger drafts = new AtomicInteger();

    String runId;
    try (AgentRuntime rt = runtime(agent, drafts)) {
      assertThat(rt.checkpointStore()).isInstanceOf(PostgresCheckpointStore.class);
      PostgresCheckpointStore store = (PostgresCheckpointStore) rt.checkpointStore();
      assertThat(store.options().leaseTtl()).isEqualTo(Duration.ofSeconds(2));
      assertThat(store.options().user()).isEqualTo("postgres");
      assertThat(store.options().password()).isNull();

      RunResult waiting = rt.run("approve", Map.of("name", "Ada"));

      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(waiting.stepKey()).isEqualTo("publish#0");
      runId = waiting.runId();
    }

    try (AgentRuntime rt = runtime(agent, drafts)) {
      assertThat(rt.checkpointStore().find(runId).orElseThrow().status())
          .isEqualTo(RunStatus.WAITING);

      RunResult done = rt.resume(runId, Map.of("approved", true));

      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(done.output())
          .isEqualTo(Fixtures.json("{\"text\":\"Draft for Ada\",\"approved\":true}"));
      assertThat(drafts).as("the completed draft step is not run again").hasValue(1);
      assertThat(rt.checkpointStore().steps(runId))
          .extracting(StepRecord::stepKey, StepRecord::status)
          .containsExactly(
              Tuple.tuple("start#0", StepStatus.COMPLETED),
              Tuple.tuple("draft#0", StepStatus.COMPLETED),
              Tuple.tuple("publish#0", StepStatus.SUSPENDED),
              Tuple.tuple("publish#0", StepStatus.RESUMED),
              Tuple.tuple("publish#0", StepStatus.COMPLETED),
              Tuple.tuple("done#0", StepStatus.COMPLETED));
    }
    assertThat(TestDatabase.strings(url, "SELECT status FROM agentrt_runs"))
        .containsExactly("COMPLETED");
  }

  @Test
  void build_runtimeClock_isTheStoresClock() throws Exception {
    Path agent =
        config(
            "checkpoint: {store: postgres, url: '"
                + TestDatabase.newSchema()
                + "', user: postgres}\n");
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    try (AgentRuntime rt = AgentRuntime.builder().configDir(agent).clock(clock).build()) {
      assertThat(((PostgresCheckpointStore) rt.checkpointStore()).options().clock())
          .isSameAs(clock);
    }
  }

  @Test
  void build_noUrl_failsSayingWhatToAdd() throws Exception {
    Path agent = config("checkpoint: {store: postgres, synchronous: full}\n");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(agent).build())
        .isInstanceOfSatisfying(
            ManifestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Object::toString)
                    .containsExactly(
                        "config.yml: checkpoint.url: required by store 'postgres' (the JDBC URL of"
                            + " the database, such as url:"
                            + " jdbc:postgresql://localhost:5432/agentrt)",
                        "config.yml: checkpoint.synchronous: applies to the sqlite store only;"
                            + " store 'postgres' commits as the server's synchronous_commit"
                            + " setting says (remove synchronous)"));
  }

  @Test
  void build_urlOfAnotherDatabase_failsNamingTheKey() throws Exception {
    Path agent =
        config("checkpoint: {store: postgres, url: 'jdbc:mysql://db/agentrt?password=x'}\n");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(agent).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "config.yml: checkpoint.url: must be a PostgreSQL JDBC URL starting with"
                + " 'jdbc:postgresql:', such as jdbc:postgresql://localhost:5432/agentrt; was"
                + " 'jdbc:mysql://db/agentrt'")
        .hasMessageNotContaining("password=x");
  }

  @Test
  void build_databaseNotReachable_failsNamingItWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/agentrt";
    Path agent =
        config(
            "checkpoint: {store: postgres, url: '"
                + url
                + "?connectTimeout=2', user: agentrt, password: s3cret}\n");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(agent).build())
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith("checkpoint store " + url + ": cannot connect: ")
        .hasMessageEndingWith(
            " (check that the database is up, and the url, user and password of checkpoint: in"
                + " config.yml)")
        .hasMessageNotContaining("s3cret");
  }

  private Path config(String configYml) throws Exception {
    Path agent = dir.resolve(".agent");
    Files.createDirectories(agent.resolve("workflows"));
    Files.writeString(agent.resolve("config.yml"), configYml);
    return agent;
  }

  private static AgentRuntime runtime(Path agent, AtomicInteger drafts) {
    return AgentRuntime.builder()
        .configDir(agent)
        .function(
            "draft",
            (input, ctx) -> {
              drafts.incrementAndGet();
              return Fixtures.JSON
                  .createObjectNode()
                  .set("text", TextNode.valueOf("Draft for " + input.get("input.name").asText()));
            })
        .build();
  }
}
