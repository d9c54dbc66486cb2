package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kind: router} end to end, with the in-process embedding model: decide mode (top edge,
 * fallback, default edge, asking a person), inform mode (the deciding agent's prompt carries the
 * recommendation), recording and reuse, spans and the decision metric.
 */
class RouterNodeTest {
  static final String EDGES =
      """
        - from: route
          to: coder
          when: code
          description: Change source code - add a feature, fix a bug, refactor
          tags: [code]
          examples: [Add a --verbose flag to the CLI, Fix the null pointer when the config file is empty]
        - from: route
          to: writer
          when: docs
          description: Write or fix documentation, the README and guides
          tags: [docs]
          examples: [Document the new configuration options in the README]
        - from: route
          to: researcher
          when: research
          description: Answer a research question by reading papers
          examples:
            - What do recent papers say about retrieval augmented generation?
        - {from: route, to: human}
      """;

  static final String SPECIALISTS =
      """
        - {id: coder, kind: transform, template: coded}
        - {id: writer, kind: transform, template: written}
        - {id: researcher, kind: transform, template: researched}
        - {id: human, kind: transform, template: asked}
        - {id: done, role: exit}
      """;

  static final String TO_DONE =
      """
        - {from: coder, to: done}
        - {from: writer, to: done}
        - {from: researcher, to: done}
        - {from: human, to: done}
      """;

  @TempDir Path dir;
  Path c;
  RecordingStore store = new RecordingStore();
  CountingEmbedder embedder = new CountingEmbedder();
  InMemorySpanExporter spans = InMemorySpanExporter.create();
  InMemoryMetricReader metrics = InMemoryMetricReader.create();
  OpenTelemetrySdk otel;

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline:\n    provider: scripted\n    script: scripts/dispatch.yml\n");
    Files.writeString(c.resolve("prompts/dispatcher.md"), "Route the request to a specialist.");
    Files.writeString(
        c.resolve("agents/dispatcher.yml"),
        "name: dispatcher\nmodel: offline\nsystem: prompts/dispatcher.md\n"
            + "output: {schema: {type: object, required: [route], properties: {route: {type:"
            + " string}}}}\n");
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
  }

  @AfterEach
  void tearDown() {
    otel.close();
    store.delegate.close();
  }

  /** A decide-mode triage workflow with the given {@code router:} settings and extra edges. */
  void decide(String router, String extraEdges) throws IOException {
    Files.writeString(
        c.resolve("workflows/triage.yml"),
        "id: triage\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - id: route\n"
            + "    kind: router\n"
            + "    role: decision\n"
            + "    router: {text: \"{{input.request}}\", mode: decide"
            + router
            + "}\n"
            + SPECIALISTS
            + "edges:\n"
            + "  - {from: start, to: route}\n"
            + EDGES
            + extraEdges
            + TO_DONE);
  }

  AgentRuntime runtime() {
    return AgentRuntime.builder()
        .configDir(c)
        .checkpointStore(store)
        .embedder(embedder)
        .openTelemetry(otel)
        .build();
  }

  RunResult run(String request) {
    try (AgentRuntime rt = runtime()) {
      return rt.run("triage", Map.of("request", request));
    }
  }

  /** The output of the last step of {@code node}. */
  static JsonNode out(RunResult r, String node) {
    JsonNode o = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    for (var s : r.steps()) if (s.nodeId().equals(node)) o = s.output();
    return o;
  }

  static boolean ran(RunResult r, String node) {
    return r.steps().stream().anyMatch(s -> s.nodeId().equals(node));
  }

  List<CallRecord> calls(String kind) {
    return store.calls.stream().filter(k -> k.kind().wireName().equals(kind)).toList();
  }

  @Test
  void decide_confidentRanking_takesTheTopEdgeAndRecordsTheRanking() throws IOException {
    decide(", min_confidence: 0.3, top: 2", "");

    RunResult r = run("Add a --quiet flag to the command line tool");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(ran(r, "coder")).isTrue();
    JsonNode out = out(r, "route");
    assertThat(out.path("chosen").asText()).isEqualTo("code");
    assertThat(out.path("decided_by").asText()).isEqualTo("router");
    assertThat(out.path("mode").asText()).isEqualTo("decide");
    assertThat(out.path("for").asText()).isEqualTo("route");
    assertThat(out.path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(out.path("recommendations")).hasSize(2);
    JsonNode top = out.path("recommendations").get(0);
    assertThat(top.path("edge").asText()).isEqualTo("code");
    assertThat(top.path("to").asText()).isEqualTo("coder");
    assertThat(top.path("reason").asText()).startsWith("closest example 'Add a --verbose flag");
    assertThat(out.path("confidence").asDouble()).isEqualTo(top.path("score").asDouble());
    List<CallRecord> recorded = calls("router");
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).request().path("text").asText())
        .isEqualTo("Add a --quiet flag to the command line tool");
    assertThat(recorded.get(0).response().path("recommendations")).hasSize(3);
  }

  @Test
  void decide_belowMinConfidenceWithFallback_takesTheFallbackEdge() throws IOException {
    decide(", min_confidence: 1.0, fallback: research", "");

    RunResult r = run("Add a --quiet flag to the command line tool");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(ran(r, "researcher")).isTrue();
    assertThat(out(r, "route").path("chosen").asText()).isEqualTo("research");
    assertThat(out(r, "route").path("decided_by").asText()).isEqualTo("fallback");
  }

  @Test
  void decide_belowMinConfidenceWithoutFallback_takesTheDefaultEdge() throws IOException {
    decide(", min_confidence: 1.0", "");

    RunResult r = run("Add a --quiet flag to the command line tool");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(ran(r, "human")).isTrue();
    assertThat(out(r, "route").path("chosen").isNull()).isTrue();
    assertThat(out(r, "route").path("decided_by").asText()).isEqualTo("default");
  }

  @Test
  void decide_askBelowMinConfidence_waitsThenResumeWithChoiceDecidesWithoutEmbeddingAgain()
      throws IOException {
    decide(", min_confidence: 1.0, fallback: ask", "");
    try (AgentRuntime rt = runtime()) {
      RunResult waiting = rt.run("triage", Map.of("request", "Add a --quiet flag to the CLI"));

      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(waiting.message())
          .matches(
              "step 'route#0': router 'route' is not confident enough \\(code \\d\\.\\d\\d,"
                  + " .*")
          .endsWith(
              "; min_confidence 1.00): resume with {\"choice\": \"<edge>\"}, one of: code, docs,"
                  + " research");
      int embedded = embedder.texts.get();

      RunResult r = rt.resume(waiting.runId(), Map.of("choice", "docs"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(ran(r, "writer")).isTrue();
      assertThat(out(r, "route").path("chosen").asText()).isEqualTo("docs");
      assertThat(out(r, "route").path("decided_by").asText()).isEqualTo("person");
      assertThat(embedder.texts.get()).as("texts embedded on resume").isEqualTo(embedded);
      assertThat(calls("router")).hasSize(1);
    }
  }

  @Test
  void decide_resumeWithUnknownChoice_failsListingTheEdges() throws IOException {
    decide(", min_confidence: 1.0, fallback: ask", "");
    try (AgentRuntime rt = runtime()) {
      RunResult waiting = rt.run("triage", Map.of("request", "Add a --quiet flag to the CLI"));

      RunResult r = rt.resume(waiting.runId(), Map.of("choice", "doc"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.message())
          .contains(
              "router 'route': resume choice 'doc' is not one of the router's edges (code, docs,"
                  + " research) (did you mean 'docs'?)");
    }
  }

  @Test
  void decide_sameInputTwice_sameOutput() throws IOException {
    decide(", min_confidence: 0.3", "");

    RunResult first = run("Explain the new options in the user guide");
    RunResult second = run("Explain the new options in the user guide");

    assertThat(out(second, "route")).isEqualTo(out(first, "route"));
    assertThat(out(first, "route").path("chosen").asText()).isEqualTo("docs");
  }

  @Test
  void decide_spansAndMetric_sayWhatWasRecommendedAndFollowed() throws IOException {
    decide(", min_confidence: 1.0, fallback: research", "");

    run("Add a --quiet flag to the command line tool");

    SpanData recommend = span("agentrt.route.recommend");
    assertThat(recommend.getAttributes().get(AttributeKey.stringKey("agentrt.router.mode")))
        .isEqualTo("decide");
    assertThat(recommend.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
        .isEqualTo("all-minilm-l6-v2-q");
    assertThat(recommend.getAttributes().get(AttributeKey.doubleKey("agentrt.router.confidence")))
        .isBetween(0.0, 1.0);
    assertThat(recommend.getAttributes().get(AttributeKey.stringArrayKey("agentrt.router.top")))
        .hasSize(3)
        .first()
        .asString()
        .matches("code=\\d\\.\\d\\d");
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(s -> s.getSpanId().equals(recommend.getParentSpanId()))
        .extracting(SpanData::getName)
        .containsExactly("agentrt.node route");
    SpanData route = routeSpanOf("route#0");
    assertThat(route.getAttributes().get(AttributeKey.stringKey("agentrt.router.recommended")))
        .isEqualTo("code");
    assertThat(route.getAttributes().get(AttributeKey.booleanKey("agentrt.router.followed")))
        .isFalse();
    assertThat(decisions()).containsExactly(Map.entry("decide/false", 1L));
  }

  @Test
  void inform_agentPromptCarriesTheRecommendationAndItsAnswerRoutes() throws IOException {
    Files.writeString(
        c.resolve("scripts/dispatch.yml"),
        "turns:\n  - text: '{\"route\": \"docs\"}'\n    usage: {input_tokens: 5, output_tokens:"
            + " 3}\n");
    Files.writeString(
        c.resolve("workflows/triage.yml"),
        "id: triage\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: advise, kind: router, router: {text: \"{{input.request}}\", top: 2}}\n"
            + "  - {id: route, kind: agent, agent: dispatcher, role: decision, route: route}\n"
            + SPECIALISTS
            + "edges:\n"
            + "  - {from: start, to: advise}\n"
            + "  - {from: advise, to: route}\n"
            + EDGES
            + TO_DONE);

    RunResult r = run("Add a --quiet flag to the command line tool");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(ran(r, "writer")).as("the agent's answer routes").isTrue();
    JsonNode advise = out(r, "advise");
    assertThat(advise.path("mode").asText()).isEqualTo("inform");
    assertThat(advise.path("for").asText()).isEqualTo("route");
    assertThat(advise.path("chosen").isNull()).isTrue();
    assertThat(store.calls)
        .extracting(k -> k.kind().wireName())
        .filteredOn(k -> !k.equals("trace"))
        .containsExactly("router", "llm");
    String prompt = calls("llm").get(0).request().toString();
    assertThat(prompt)
        .containsPattern(
            "Router recommends: code \\(\\d\\.\\d\\d\\), (docs|research) \\(\\d\\.\\d\\d\\)\\.\\\\n"
                + "Allowed route values: code, docs, research\\.");
    SpanData route = routeSpanOf("route#0");
    assertThat(route.getAttributes().get(AttributeKey.stringKey("agentrt.router.recommended")))
        .isEqualTo("code");
    assertThat(route.getAttributes().get(AttributeKey.booleanKey("agentrt.router.followed")))
        .isFalse();
    assertThat(decisions()).containsExactly(Map.entry("inform/false", 1L));
  }

  @Test
  void inform_resumeAfterCrashInTheAgentStep_sameAgentPromptAndNoNewRanking() throws IOException {
    Files.writeString(
        c.resolve("agents/dispatcher.yml"),
        "name: dispatcher\nmodel: offline\nsystem: prompts/dispatcher.md\ntools: [echo]\n");
    Files.writeString(
        c.resolve("scripts/dispatch.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: look}}]\n"
            + "  - text: code\n");
    Files.writeString(
        c.resolve("workflows/triage.yml"),
        "id: triage\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: advise, kind: router, router: {text: \"{{input.request}}\"}}\n"
            + "  - {id: route, kind: agent, agent: dispatcher, role: decision}\n"
            + SPECIALISTS
            + "edges:\n"
            + "  - {from: start, to: advise}\n"
            + "  - {from: advise, to: route}\n"
            + EDGES
            + TO_DONE);
    EchoTool echo = new EchoTool();
    // router, llm #0 and tool #1 are recorded; recording llm #2 "crashes"
    store.crashAfterCalls = 3;
    String runId;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .checkpointStore(store)
            .embedder(embedder)
            .tool(echo)
            .build()) {
      runId = rt.run("triage", Map.of("request", "Add a --quiet flag to the CLI")).runId();
    }
    assertThat(store.calls)
        .extracting(k -> k.kind().wireName())
        .containsExactly("router", "llm", "tool");
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;
    int embedded = embedder.texts.get();

    RunResult r;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .checkpointStore(store)
            .embedder(embedder)
            .tool(echo)
            .build()) {
      r = rt.resume(runId, null);
    }

    // a different prompt would fail the step: "call 0 differs from the one recorded"
    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(ran(r, "coder")).isTrue();
    assertThat(embedder.texts.get()).as("texts embedded on resume").isEqualTo(embedded);
    assertThat(calls("router")).hasSize(1);
  }

  SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name));
  }

  SpanData routeSpanOf(String stepKey) {
    return spans.getFinishedSpanItems().stream()
        .filter(
            s ->
                s.getName().equals("agentrt.route")
                    && stepKey.equals(
                        s.getAttributes().get(AttributeKey.stringKey("agentrt.step.key"))))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route span of " + stepKey));
  }

  /** {@code agentrt.router.decisions} as {@code mode/followed -> count}. */
  Map<String, Long> decisions() {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals("agentrt.router.decisions")) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        out.put(
            p.getAttributes().get(AttributeKey.stringKey("agentrt.router.mode"))
                + "/"
                + p.getAttributes().get(AttributeKey.booleanKey("agentrt.router.followed")),
            p.getValue());
      }
    }
    return out;
  }
}
