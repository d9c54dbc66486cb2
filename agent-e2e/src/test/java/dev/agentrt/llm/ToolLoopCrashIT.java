package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.testsupport.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10-round tool loop (one {@code kind: agent} step, the real LangChain4j OpenAI client, the
 * SQLite store) in a child JVM killed with SIGKILL while it waits for the model after round 6, and
 * resumed by a new child JVM: the model server gets none of the recorded requests again, the tool
 * runs once per round, and the output is that of an uncrashed run.
 */
class ToolLoopCrashIT {
  static final int ROUNDS = 10;

  /** The request the first child is killed in: the one carrying round 6's tool result. */
  static final int BLOCKED = 7;

  static final String DEFAULT_KEY = "sk-stub-local";
  static final String KEY_ENV = "AGENTRT_STUB_OPENAI_KEY";

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void resume_toolLoopKilledAfterRoundSix_resendsNoRecordedRequestAndEndsAsAnUncrashedRun()
      throws Exception {
    long t0 = System.nanoTime();
    JsonNode expected;
    try (ToolLoopStub ref = new ToolLoopStub(0)) {
      Path home = Files.createDirectories(dir.resolve("reference"));
      try (AgentRuntime rt =
          ToolLoopCrashMain.runtime(agentDir(home, ref), home.resolve("ledger"))
              .runIds(() -> "reference")
              .build()) {
        RunResult r = rt.run(ToolLoopCrashMain.WORKFLOW, ToolLoopCrashMain.input());
        assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
        expected = r.output();
      }
      assertThat(ref.answered).containsExactlyElementsOf(allRequests());
      assertThat(ledger(home)).containsExactlyElementsOf(allRounds());
    }
    assertThat(expected.asText())
        .isEqualTo(
            "rounds: fact-1,fact-2,fact-3,fact-4,fact-5,fact-6,fact-7,fact-8," + "fact-9,fact-10");
    long tReference = System.nanoTime();

    try (ToolLoopStub stub = new ToolLoopStub(BLOCKED)) {
      Path home = Files.createDirectories(dir.resolve("crash"));
      Path agent = agentDir(home, stub);
      String runId = "loop-crash";
      Process first = child(home, "first.log", "start", agent, runId);
      // the resuming JVM starts at once and waits, its runtime built, for the go file: released the
      // moment the first is killed, it meets the dead engine's live lease and retries until it
      // expires
      Path go = home.resolve("go");
      Process second = child(home, "second.log", "resume", agent, runId, go);
      try {
        awaitReady(second, home, "second.log");
        assertThat(stub.blocked.await(120, TimeUnit.SECONDS))
            .as("request %d reached the stub:%n%s", BLOCKED, log(home, "first.log"))
            .isTrue();
        assertThat(first.isAlive()).isTrue();
      } finally {
        first
            .destroyForcibly(); // SIGKILL: no shutdown hooks, no lease release, no final checkpoint
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        stub.release.countDown();
      }
      assertThat(stub.received)
          .as("before the kill")
          .containsExactlyElementsOf(IntStream.rangeClosed(1, BLOCKED).boxed().toList());
      assertThat(ledger(home))
          .as("before the kill")
          .containsExactlyElementsOf(allRounds().subList(0, BLOCKED - 1));
      Files.createFile(go);
      long tKilled = System.nanoTime();

      boolean done = second.waitFor(180, TimeUnit.SECONDS);
      if (!done) second.destroyForcibly();
      String out = log(home, "second.log");
      assertThat(done).as("resumed child finished:%n%s", out).isTrue();
      assertThat(second.exitValue()).as(out).isZero();
      long tResumed = System.nanoTime();

      JsonNode result =
          StubOpenAi.JSON.readTree(
              out.lines()
                  .filter(l -> l.startsWith("result "))
                  .reduce((a, b) -> b)
                  .orElseThrow(() -> new AssertionError("no result line:\n" + out))
                  .substring(7));
      assertThat(result.path("status").asText()).as(out).isEqualTo("COMPLETED");
      assertThat(result.get("output")).isEqualTo(expected);
      // requests 1-6 once each in all (their answers were replayed from the store); 7 twice (the
      // killed child's, never answered, and the resumed child's); 8-11 once
      List<Integer> received = new ArrayList<>(stub.received);
      for (int n = 1; n <= ROUNDS + 1; n++) {
        int times = n == BLOCKED ? 2 : 1;
        assertThat(Collections.frequency(received, n))
            .as("request %d received (all: %s)", n, received)
            .isEqualTo(times);
      }
      assertThat(received).hasSize(ROUNDS + 2);
      assertThat(received.subList(BLOCKED, received.size()))
          .as("after the resume")
          .containsExactlyElementsOf(IntStream.rangeClosed(BLOCKED, ROUNDS + 1).boxed().toList());
      assertThat(stub.answered).containsExactlyElementsOf(allRequests());
      assertThat(stub.rejected).isEmpty();
      assertThat(ledger(home))
          .as("the tool ran once per round")
          .containsExactlyElementsOf(allRounds());
      System.out.printf(
          "tool-loop crash: reference %.1f s, start to kill %.1f s, resume %.1f s (refused while "
              + "the lease was live: %d), total %.1f s%n",
          (tReference - t0) / 1e9,
          (tKilled - tReference) / 1e9,
          (tResumed - tKilled) / 1e9,
          out.lines().filter(l -> l.startsWith("owned ")).count(),
          (tResumed - t0) / 1e9);
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Waits (at most 120 s: a loaded machine starts JVMs slowly) until the child has printed {@code
   * ready}.
   */
  private static void awaitReady(Process child, Path home, String log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!log(home, log).lines().anyMatch("ready"::equals)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the child is not ready:\n" + log(home, log));
      }
      Thread.sleep(10);
    }
  }

  private static List<Integer> allRequests() {
    return IntStream.rangeClosed(1, ROUNDS + 1).boxed().toList();
  }

  private static List<String> allRounds() {
    return IntStream.rangeClosed(1, ROUNDS).mapToObj(n -> "round " + n).toList();
  }

  private static List<String> ledger(Path home) throws IOException {
    Path l = home.resolve("ledger");
    return Files.exists(l) ? Files.readAllLines(l, StandardCharsets.UTF_8) : List.of();
  }

  private static String log(Path home, String name) throws IOException {
    Path l = home.resolve(name);
    return Files.exists(l) ? Files.readString(l) : "(no output)";
  }

  /**
   * Starts {@link ToolLoopCrashMain} ({@code mode agent runId home/ledger [go]}) in a JVM on the
   * test class path, its output to {@code home/log}.
   */
  private Process child(Path home, String log, String mode, Path agent, String runId, Path... go)
      throws IOException {
    List<String> cmd =
        ChildJvm.command(
            ToolLoopCrashMain.class,
            mode,
            agent.toString(),
            runId,
            home.resolve("ledger").toString());
    for (Path g : go) cmd.add(g.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve(log).toFile())
            .start();
    children.add(p);
    return p;
  }

  /**
   * Writes {@code home/.agent}: model {@code default} on the stub, the SQLite store at {@code
   * home/runs.db} with a 300 ms lease, agent {@code looper} with tool {@code lookup} and workflow
   * {@code loop} (start, the agent step, exit with its answer).
   */
  private static Path agentDir(Path home, ToolLoopStub stub) throws IOException {
    Path c = home.resolve(".agent");
    Files.createDirectories(c.resolve("workflows"));
    Files.createDirectories(c.resolve("agents"));
    Files.createDirectories(c.resolve("prompts"));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-test\n"
            + "    api_key: ${env:"
            + KEY_ENV
            + ":-"
            + DEFAULT_KEY
            + "}\n"
            + "    base_url: "
            + stub.baseUrl()
            + "\n"
            + "    max_retries: 0\n"
            + "checkpoint: {store: sqlite, path: '"
            + home.resolve("runs.db")
            + "', lease_ttl: 300ms}\n");
    Files.writeString(
        c.resolve("prompts/looper.md"), "Look up one fact per round about {{input.topic}}.");
    Files.writeString(
        c.resolve("agents/looper.yml"),
        "name: looper\nmodel: default\nsystem: prompts/looper.md\n"
            + "tools: [lookup]\nmax_tool_rounds: "
            + ROUNDS
            + "\n");
    Files.writeString(
        c.resolve("workflows/loop.yml"),
        "id: loop\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: looper}\n"
            + "  - {id: done, role: exit, output: \"{{ask}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: ask}\n"
            + "  - {from: ask, to: done}\n");
    return c;
  }

  /**
   * An OpenAI chat-completions server on 127.0.0.1 scripted by round: request n (n - 1 assistant
   * and n - 1 tool messages in its body) gets a call of {@code lookup} for round n while n is at
   * most {@link #ROUNDS}, then the final answer, built from the tool results in the request. The
   * first arrival of request {@code blockAt} is held (never answered) until {@link #release}.
   */
  static final class ToolLoopStub implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tool-loop-stub");
              t.setDaemon(true);
              return t;
            });
    private final int blockAt;
    private final AtomicBoolean heldOnce = new AtomicBoolean();
    private final String key = "Bearer " + expectedKey();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> answered = Collections.synchronizedList(new ArrayList<>());
    final List<String> rejected = Collections.synchronizedList(new ArrayList<>());

    ToolLoopStub(int blockAt) throws IOException {
      this.blockAt = blockAt;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(pool); // a held request must not hold up the next child's
      server.createContext("/v1/chat/completions", this::handle);
      server.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
      try {
        JsonNode req = StubOpenAi.JSON.readTree(ex.getRequestBody().readAllBytes());
        List<JsonNode> messages = new ArrayList<>();
        req.path("messages").forEach(messages::add);
        long assistants =
            messages.stream().filter(m -> m.path("role").asText().equals("assistant")).count();
        long tools = messages.stream().filter(m -> m.path("role").asText().equals("tool")).count();
        int n = (int) assistants + 1;
        String problem =
            !key.equals(ex.getRequestHeaders().getFirst("Authorization"))
                ? "wrong key"
                : tools != assistants
                    ? "request " + n + " with " + tools + " tool messages"
                    : n > ROUNDS + 1 ? "request " + n + " after the final answer" : null;
        if (problem != null) {
          rejected.add(problem);
          send(ex, 400, "{\"error\":{\"message\":\"stub: " + problem + "\"}}");
          return;
        }
        received.add(n);
        if (n == blockAt && heldOnce.compareAndSet(false, true)) {
          blocked.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return; // the client is dead by now: close without an answer
        }
        String body;
        if (n <= ROUNDS) {
          String args = StubOpenAi.JSON.createObjectNode().put("round", n).toString();
          body =
              "{\"id\":\"c"
                  + n
                  + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\","
                  + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                  + "\"id\":\"call_"
                  + n
                  + "\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":"
                  + StubOpenAi.JSON.valueToTree(args)
                  + "}}]},\"finish_reason\":\"tool_calls\"}],"
                  + "\"usage\":{\"prompt_tokens\":"
                  + (10 * n)
                  + ",\"completion_tokens\":5,\"total_tokens\":"
                  + (10 * n + 5)
                  + "}}";
        } else {
          String answer =
              "rounds: "
                  + messages.stream()
                      .filter(m -> m.path("role").asText().equals("tool"))
                      .map(m -> m.path("content").asText())
                      .collect(Collectors.joining(","));
          body =
              "{\"id\":\"c"
                  + n
                  + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\","
                  + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                  + StubOpenAi.JSON.valueToTree(answer)
                  + "},\"finish_reason\":\"stop\"}],"
                  + "\"usage\":{\"prompt_tokens\":"
                  + (10 * n)
                  + ",\"completion_tokens\":7,\"total_tokens\":"
                  + (10 * n + 7)
                  + "}}";
        }
        answered.add(n);
        send(ex, 200, body);
      } finally {
        ex.close();
      }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
      pool.shutdownNow();
    }
  }

  /**
   * The key the children send: {@code $AGENTRT_STUB_OPENAI_KEY}, or the default of the config's
   * reference.
   */
  private static String expectedKey() {
    String env = System.getenv(KEY_ENV);
    return env == null || env.isEmpty() ? DEFAULT_KEY : env;
  }
}
