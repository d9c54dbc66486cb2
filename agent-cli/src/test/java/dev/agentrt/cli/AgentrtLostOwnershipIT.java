package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.SqliteCheckpointStore;
import dev.agentrt.memory.SqliteStoreOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI process paused inside a step while another owner took its run over: it reports that it lost
 * the run, which continues under the other owner, with exit code 4; it never reports or records the
 * run as failed.
 */
class AgentrtLostOwnershipIT {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String NL = System.lineSeparator();

  @TempDir Path dir;
  private Path config;
  private Path db;
  private HttpServer server;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    // the step's http call waits here until the test has taken the run over
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/slow",
        exchange -> {
          entered.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    config = dir.resolve("agent");
    db = dir.resolve("runs.db");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + db
            + "'}\n"
            + "policy: {http_allow: ['127.0.0.1']}\n");
    Files.writeString(
        config.resolve("workflows/lost.yml"),
        """
        id: lost
        nodes:
          - {id: start, role: start}
          - {id: call, kind: tool, tool: http, args: {url: "http://127.0.0.1:PORT/slow"}}
          - {id: after, kind: transform, template: "{{call.json.ok}}"}
          - {id: done, role: exit, output: "{{after}}"}
        edges:
          - {from: start, to: call}
          - {from: call, to: after}
          - {from: after, to: done}
        """
            .replace("PORT", Integer.toString(server.getAddress().getPort())));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void run_leaseTakenOverWhileInAStep_exits4SayingTheRunContinuesUnderTheNewOwner()
      throws Exception {
    Taken t = runAndTakeOver();

    assertThat(t.result.exitCode()).as(t.result.stdout() + t.result.stderr()).isEqualTo(4);
    String message =
        "this engine lost ownership of run '"
            + t.runId
            + "' before step 'call#0' could be checkpointed; "
            + "the run continues under owner engine-b (checkpoint store "
            + db.toAbsolutePath().normalize()
            + ": run '"
            + t.runId
            + "', step 'call#0': cannot append the step: run '"
            + t.runId
            + "' is owned by engine-b since ";
    assertThat(t.result.stdout())
        .startsWith("lost: RUNNING (OWNERSHIP_LOST) at step call#0 in ")
        .contains("  [run " + t.runId + "]\n  " + message)
        .doesNotContain("FAILED")
        .contains("\nSteps:\n  start#0  COMPLETED ");
    assertThat(t.result.stderr()).doesNotContain("\tat ").doesNotContain("Exception in");
    assertThat(t.record.status())
        .as("nothing recorded over the new owner's run")
        .isEqualTo(RunStatus.RUNNING);
    assertThat(t.record.reason()).isNull();
    assertThat(t.steps).containsExactly("start#0");
  }

  @Test
  void runJson_leaseTakenOverWhileInAStep_exits4WithStatusRunningAndTheReasonOnStderr()
      throws Exception {
    Taken t = runAndTakeOver("--json");

    assertThat(t.result.exitCode()).as(t.result.stdout() + t.result.stderr()).isEqualTo(4);
    JsonNode json = MAPPER.readTree(t.result.stdout());
    assertThat(json.get("status").asText()).isEqualTo("RUNNING");
    assertThat(json.get("reason").asText()).isEqualTo("OWNERSHIP_LOST");
    assertThat(json.get("output").isNull()).isTrue();
    assertThat(t.result.stderr())
        .contains(
            "agentrt: this engine lost ownership of run '"
                + t.runId
                + "' before step "
                + "'call#0' could be checkpointed; the run continues under owner engine-b (")
        .doesNotContain("\tat ");
    assertThat(t.record.status()).isEqualTo(RunStatus.RUNNING);
  }

  private record Taken(Agentrt.Result result, String runId, RunRecord record, List<String> steps) {}

  /**
   * Starts {@code lost}; once it waits in its http call, takes the run over as engine-b (whose
   * clock is an hour ahead, so the CLI's lease has expired for it), lets the call return and waits
   * for the CLI to exit.
   */
  private Taken runAndTakeOver(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "lost", "--config", config.toString()));
    args.addAll(List.of(flags));
    CompletableFuture<Agentrt.Result> child =
        CompletableFuture.supplyAsync(() -> Agentrt.run(args.toArray(String[]::new)));
    if (!entered.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the run never reached its http call: " + child.getNow(null));
    }
    SqliteStoreOptions options =
        SqliteStoreOptions.builder()
            .ownerId("engine-b")
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))
            .build();
    try (SqliteCheckpointStore b = SqliteCheckpointStore.open(db, options)) {
      String runId = b.summaries(RunQuery.all()).runs().get(0).runId();
      try (RunLog taken = b.open(runId)) {
        assertThat(taken.steps()).extracting(StepRecord::stepKey).containsExactly("start#0");
        release.countDown();
        Agentrt.Result result = child.get(90, TimeUnit.SECONDS);
        return new Taken(
            result,
            runId,
            b.find(runId).orElseThrow(),
            b.steps(runId).stream().map(StepRecord::stepKey).toList());
      }
    }
  }
}
