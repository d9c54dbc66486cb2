package dev.agentrt.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.inspector.AgentInspector.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON API's contract (docs/inspector.md) over a real server on 127.0.0.1 and a real SQLite
 * store holding a feature-add run: implement, review asks for a revision, implement, review
 * approves, the tests run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectorApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  AgentRuntime rt;
  AgentInspector debug;
  RunResult run;
  int closedPort;
  int openPort;
  ServerSocket ollama;

  @BeforeAll
  void runFeatureAdd() throws IOException {
    ollama = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    openPort = ollama.getLocalPort();
    try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    rt =
        InspectorFixture.runtime(
            tmp,
            c -> {
              ObjectNode models = (ObjectNode) c.path("models");
              models
                  .putObject("local")
                  .put("provider", "ollama")
                  .put("model", "llama3")
                  .put("base_url", "http://127.0.0.1:" + openPort);
              models
                  .putObject("gone")
                  .put("provider", "ollama")
                  .put("model", "llama3")
                  .put("base_url", "http://127.0.0.1:" + closedPort);
              c.putObject("telemetry").putArray("redact").add("smaller number");
            });
    run = InspectorFixture.featureAdd(rt);
    debug = AgentInspector.builder(rt).port(0).mode(Mode.DEBUG).start();
  }

  @AfterAll
  void close() throws IOException {
    if (debug != null) debug.close();
    if (rt != null) rt.close();
    if (ollama != null) ollama.close();
  }

  JsonNode get(AgentInspector inspector, String path, int status) {
    HttpResponse<String> r = send(inspector, path, "GET");
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> send(AgentInspector inspector, String path, String method) {
    try {
      return http.send(
          HttpRequest.newBuilder(inspector.uri().resolve(path))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) out.add(field.isEmpty() ? n.asText() : n.path(field).asText());
    return out;
  }

  @Test
  void start_default_bindsTheLoopbackAddressOnly() {
    assertThat(debug.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(debug.uri().getPort()).isEqualTo(debug.port()).isPositive();
  }

  @Test
  void runs_listsTheRunWithItsTotals() {
    JsonNode body = get(debug, "/api/runs", 200);

    JsonNode r = body.path("runs").path(0);
    assertThat(r.path("runId").asText()).isEqualTo(run.runId());
    assertThat(r.path("workflow").asText()).isEqualTo("feature-add");
    assertThat(r.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(r.path("steps").asInt()).isEqualTo(7);
    assertThat(r.path("llmCalls").asLong()).isEqualTo(run.usage().llmCalls()).isPositive();
    assertThat(r.path("toolCalls").asLong()).isEqualTo(run.usage().toolCalls()).isPositive();
    assertThat(r.path("tokens").path("input").asLong()).isEqualTo(run.usage().inputTokens());
    assertThat(r.path("tokens").path("output").asLong()).isEqualTo(run.usage().outputTokens());
    assertThat(texts(body.path("workflows"), "")).isNotEmpty();
    assertThat(body.path("workflows").toString()).contains("\"feature-add\"", "\"hello\"");
    assertThat(body.path("statuses").toString()).contains("\"WAITING\"");
  }

  @Test
  void runs_filters_byWorkflowAndStatus() {
    assertThat(get(debug, "/api/runs?workflow=feature-add&status=completed", 200).path("runs"))
        .hasSize(1);
    assertThat(get(debug, "/api/runs?workflow=hello", 200).path("runs")).isEmpty();
    assertThat(get(debug, "/api/runs?status=FAILED", 200).path("runs")).isEmpty();
  }

  @Test
  void runs_badParameters_400SaysWhatToChange() {
    assertThat(get(debug, "/api/runs?status=DONE", 400).path("error").asText())
        .isEqualTo(
            "status 'DONE' is not one of RUNNING, WAITING, COMPLETED, FAILED, CANCELLED, QUEUED");
    assertThat(get(debug, "/api/runs?limit=0", 400).path("error").asText())
        .isEqualTo("limit '0' is not a number between 1 and 1000");
  }

  @Test
  void run_stepsInOrder_withLoopLabelsAndDecisions() {
    JsonNode body = get(debug, "/api/runs/" + run.runId(), 200);

    JsonNode steps = body.path("steps");
    assertThat(texts(steps, "key"))
        .containsExactly(
            "start#0", "implement#0", "review#0", "implement#1", "review#1", "tests#0", "done#0");
    assertThat(texts(steps, "label"))
        .containsExactly(
            "start",
            "implement",
            "review",
            "implement · revise 1 of 2",
            "review · revise 1 of 2",
            "tests",
            "done");
    assertThat(steps.path(3).path("loop").toString())
        .isEqualTo("{\"edge\":\"revise\",\"iteration\":1,\"max\":2}");
    assertThat(texts(steps, "lane")).containsOnly("");
    assertThat(body.path("lanes").toString()).isEqualTo("[{\"id\":\"\",\"label\":\"main\"}]");
    JsonNode review0 = steps.path(2).path("decision");
    assertThat(review0.path("route").asText()).isEqualTo("verdict");
    assertThat(review0.path("value").asText()).isEqualTo("revise");
    assertThat(review0.path("recommended").isNull()).isTrue();
    assertThat(steps.path(4).path("decision").path("value").asText()).isEqualTo("approve");
    assertThat(steps.path(1).path("decision").isNull()).isTrue();
    assertThat(steps.path(1).path("kind").asText()).isEqualTo("agent");
    assertThat(steps.path(2).path("role").asText()).isEqualTo("decision");
    assertThat(body.path("run").path("output").path("review").path("verdict").asText())
        .isEqualTo("approve");
  }

  @Test
  void run_calls_llmMessagesAndToolCallsWithEffects() {
    JsonNode body = get(debug, "/api/runs/" + run.runId(), 200);
    JsonNode implement = body.path("steps").path(1);

    JsonNode calls = implement.path("calls");
    assertThat(texts(calls, "kind")).containsExactly("llm", "tool", "llm", "tool", "llm");
    assertThat(texts(calls, "index")).containsExactly("0", "1", "2", "3", "4");
    JsonNode llm = calls.path(0);
    assertThat(llm.path("name").asText()).isEqualTo("engineer");
    assertThat(llm.path("messages").path(0).path("role").asText()).isEqualTo("system");
    assertThat(llm.path("messages").path(0).path("text").asText()).contains("software engineer");
    assertThat(llm.path("toolCalls").path(0).path("name").asText()).isEqualTo("fs.read");
    assertThat(llm.path("usage").path("inputTokens").asLong()).isPositive();

    JsonNode read = calls.path(1);
    assertThat(read.path("kind").asText()).isEqualTo("tool");
    assertThat(read.path("name").asText()).isEqualTo("fs.read");
    assertThat(read.path("arguments").path("path").asText())
        .isEqualTo("src/main/java/demo/Calculator.java");
    assertThat(read.path("result").path("ok").asBoolean()).isTrue();
    assertThat(read.path("effect").isNull()).isTrue();

    JsonNode write =
        StreamSupport.stream(calls.spliterator(), false)
            .filter(c -> c.path("name").asText().equals("fs.write"))
            .findFirst()
            .orElseThrow();
    assertThat(write.path("kind").asText()).isEqualTo("tool");
    assertThat(write.path("effect").asText()).isEqualTo("non_idempotent");
    assertThat(write.path("idempotencyKey").asText())
        .isEqualTo(run.runId() + ":implement#0:" + write.path("index").asInt());
    assertThat(write.path("result").path("value").path("bytes_written").asInt()).isPositive();
  }

  @Test
  void run_budgetAndGraph_limitsBesideUseAndThePathTaken() {
    JsonNode body = get(debug, "/api/runs/" + run.runId(), 200);

    JsonNode budget = body.path("budget");
    assertThat(budget.path("limits").path("maxHops").asLong()).isEqualTo(20);
    assertThat(budget.path("limits").path("maxTokens").asLong()).isEqualTo(200000);
    assertThat(budget.path("limits").path("maxDurationMs").asLong()).isEqualTo(60_000);
    assertThat(budget.path("limits").path("maxCostUsd").isNull()).isTrue();
    assertThat(budget.path("used").path("hops").asLong()).isEqualTo(7);
    assertThat(budget.path("used").path("llmCalls").asLong()).isEqualTo(run.usage().llmCalls());
    assertThat(budget.path("used").path("tokens").asLong()).isEqualTo(run.usage().totalTokens());
    assertThat(texts(body.path("graph").path("taken"), ""))
        .containsExactly("start", "implement", "review", "tests", "done");
    assertThat(body.path("graph").path("mermaid").asText())
        .startsWith(rt.mermaid("feature-add"))
        .contains("  class n0,n1,n2,n3,n4 taken\n");
  }

  @Test
  void run_redactPatterns_maskedEvenInDebugMode() {
    JsonNode body = get(debug, "/api/runs/" + run.runId(), 200);

    assertThat(body.path("run").path("input").path("request").asText())
        .isEqualTo("Calculator.max returns the ****; make it return the larger.");
    assertThat(body.toString()).doesNotContain("smaller number");
  }

  @Test
  void run_shippingMode_hidesContentsKeepsMetadata() {
    try (AgentInspector shipping = AgentInspector.builder(rt).port(0).start()) {
      assertThat(shipping.mode()).isEqualTo(Mode.SHIPPING);
      JsonNode body = get(shipping, "/api/runs/" + run.runId(), 200);

      String hidden = "[hidden: shipping mode]";
      assertThat(body.path("mode").asText()).isEqualTo("shipping");
      assertThat(body.path("run").path("input").asText()).isEqualTo(hidden);
      assertThat(body.path("run").path("output").asText()).isEqualTo(hidden);
      JsonNode implement = body.path("steps").path(1);
      assertThat(implement.path("output").asText()).isEqualTo(hidden);
      JsonNode llm = implement.path("calls").path(0);
      assertThat(llm.path("messages").asText()).isEqualTo(hidden);
      assertThat(llm.path("toolCalls").asText()).isEqualTo(hidden);
      assertThat(llm.path("text").isNull()).as("the first answer has no text").isTrue();
      assertThat(llm.path("request").asText()).isEqualTo(hidden);
      JsonNode answer = implement.path("calls").path(implement.path("calls").size() - 1);
      assertThat(answer.path("text").asText()).isEqualTo(hidden);
      assertThat(llm.path("usage").path("inputTokens").asLong()).isPositive();
      JsonNode read = implement.path("calls").path(1);
      assertThat(read.path("name").asText()).isEqualTo("fs.read");
      assertThat(read.path("arguments").asText()).isEqualTo(hidden);
      assertThat(read.path("result").asText()).isEqualTo(hidden);
      assertThat(body.toString()).doesNotContain("Calculator.java", "software engineer");
    }
  }

  @Test
  void run_unknown_404NamesIt() {
    assertThat(get(debug, "/api/runs/nope", 404).path("error").asText())
        .isEqualTo("no run 'nope' in the store");
  }

  @Test
  void graph_withRun_highlightsTheNodesItVisited() {
    JsonNode plain = get(debug, "/api/workflows/feature-add/graph", 200);
    assertThat(plain.path("mermaid").asText()).isEqualTo(rt.mermaid("feature-add"));
    assertThat(plain.path("taken")).isEmpty();

    JsonNode highlighted = get(debug, "/api/workflows/feature-add/graph?run=" + run.runId(), 200);
    assertThat(highlighted.path("mermaid").asText()).contains("class n0,n1,n2,n3,n4 taken");

    assertThat(
            get(debug, "/api/workflows/hello/graph?run=" + run.runId(), 400).path("error").asText())
        .isEqualTo("run '" + run.runId() + "' is of workflow 'feature-add', not 'hello'");
    assertThat(get(debug, "/api/workflows/feature/graph", 404).path("error").asText())
        .startsWith("no workflow 'feature' (known: ask, feature-add, hello,");
  }

  @Test
  void registry_agentsToolsModelsStoreAndJvm() {
    JsonNode body = get(debug, "/api/registry", 200);

    JsonNode engineer =
        StreamSupport.stream(body.path("agents").spliterator(), false)
            .filter(a -> a.path("id").asText().equals("engineer"))
            .findFirst()
            .orElseThrow();
    assertThat(engineer.path("model").asText()).isEqualTo("engineer");
    assertThat(texts(engineer.path("tools"), "")).isNotEmpty();
    assertThat(texts(body.path("tools"), "name")).contains("fs.read", "fs.write", "tests.run");
    Map<String, JsonNode> models = new java.util.HashMap<>();
    body.path("models").forEach(m -> models.put(m.path("name").asText(), m));
    assertThat(models.get("engineer").path("reachable").asBoolean()).isTrue();
    assertThat(models.get("engineer").path("detail").asText())
        .isEqualTo("script scripts/feature-add-engineer.yml");
    assertThat(models.get("local").path("reachable").asBoolean()).isTrue();
    assertThat(models.get("local").path("detail").asText())
        .isEqualTo("connected to 127.0.0.1:" + openPort);
    assertThat(models.get("gone").path("reachable").isBoolean()).isTrue();
    assertThat(models.get("gone").path("reachable").asBoolean()).isFalse();
    assertThat(models.get("gone").path("detail").asText())
        .startsWith("cannot connect to 127.0.0.1:" + closedPort);
    assertThat(body.path("store").path("type").asText()).isEqualTo("sqlite");
    assertThat(body.path("store").path("open").asBoolean()).isTrue();
    assertThat(body.path("telemetry").path("mode").asText()).isEqualTo("debug");
    assertThat(body.path("jvm").path("processors").asInt()).isPositive();
    assertThat(body.path("jvm").path("heapUsedBytes").asLong()).isPositive();
    assertThat(texts(body.path("workflows"), "id")).contains("feature-add", "hello");
  }

  @Test
  void registry_listsTheModelsRegisteredInJava() throws IOException {
    dev.agentrt.core.Workflow echo =
        dev.agentrt.core.Workflow.builder("echo")
            .node(dev.agentrt.core.Workflow.Node.start("start"))
            .node(dev.agentrt.core.Workflow.Node.exit("done"))
            .edge("start", "done")
            .build();
    try (AgentRuntime own =
            AgentRuntime.builder()
                .workflow(echo)
                .model("inproc", dev.agentrt.llm.ScriptedModel.builder().answer("hi").build())
                .build();
        AgentInspector inspector = AgentInspector.builder(own).port(0).start()) {
      JsonNode models = get(inspector, "/api/registry", 200).path("models");

      assertThat(models).hasSize(1);
      assertThat(models.get(0).path("name").asText()).isEqualTo("inproc");
      assertThat(models.get(0).path("provider").asText()).isEqualTo("registered");
      assertThat(models.get(0).path("reachable").asBoolean()).isTrue();
      assertThat(models.get(0).path("detail").asText())
          .isEqualTo("registered in Java: dev.agentrt.llm.ScriptedModel");
    }
  }

  @Test
  void api_unknownPathAndWrites_refusedWithJson() {
    assertThat(get(debug, "/api/nothing", 404).path("error").asText())
        .isEqualTo("no API path /api/nothing (see docs/inspector.md)");
    HttpResponse<String> post = send(debug, "/api/runs", "POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(post.body()).contains("the inspector is read-only: POST is not allowed");
  }

  @Test
  void static_pageAndMermaidFromTheJar_noPathEscape() {
    HttpResponse<String> index = send(debug, "/", "GET");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("agentrt inspector");
    HttpResponse<String> mermaid = send(debug, "/vendor/mermaid/mermaid.min.js", "GET");
    assertThat(mermaid.statusCode()).isEqualTo(200);
    assertThat(mermaid.body().length()).isGreaterThan(1_000_000);
    assertThat(send(debug, "/vendor/mermaid/LICENSE", "GET").body()).contains("MIT");
    assertThat(send(debug, "/%2e%2e/InspectorServer.class", "GET").statusCode()).isEqualTo(404);
    assertThat(send(debug, "/nothing.html", "GET").statusCode()).isEqualTo(404);
  }

  @Test
  void start_portInUse_errorNamesThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> AgentInspector.start(rt, taken.getLocalPort()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot start the inspector on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageEndingWith("(is the port in use? choose another with --port)");
    }
  }
}
