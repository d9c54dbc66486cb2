package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.testsupport.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models.<name>.fallback}, {@code circuit_breaker} and {@code rate_limit}: two OpenAI wire
 * stubs on 127.0.0.1, model {@code default} ({@code gpt-main}) falling back to {@code backup}
 * ({@code gpt-backup}); retry waits go to a recording sleeper, breakers and limiters run on a
 * {@link MutableClock}.
 */
class ModelFallbackTest {
  static final String SECRET = "sk-planted-fallback-91c2";
  static final String SLOW_DOWN = "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}";

  @TempDir Path dir;
  StubOpenAi main;
  StubOpenAi backup;
  RecordingStore store = new RecordingStore();
  EchoTool echo = new EchoTool();
  MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));
  InMemorySpanExporter spans = InMemorySpanExporter.create();
  InMemoryMetricReader metrics = InMemoryMetricReader.create();
  OpenTelemetrySdk otel;
  final List<RunEvent.LlmCalled> llmEvents = new CopyOnWriteArrayList<>();
  final List<Duration> slept = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    main = new StubOpenAi();
    backup = new StubOpenAi();
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
    main.close();
    backup.close();
    otel.close();
    store.delegate.close();
  }

  /** Writes the configuration; {@code mainExtra} and are more keys of {@code models.default}. */
  void config(String mainExtra) throws IOException {
    config(mainExtra, "fallback: [backup]");
  }

  void config(String mainExtra, String fallback) throws IOException {
    Path c = ProviderAgentFixture.write(dir, "    provider: openai\n");
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-main\n"
            + "    api_key: ${env:TEST_KEY}\n"
            + "    base_url: "
            + main.baseUrl()
            + "\n"
            + "    max_retries: 1\n"
            + "    "
            + fallback
            + "\n"
            + mainExtra
            + "  backup:\n"
            + "    provider: openai\n"
            + "    model: gpt-backup\n"
            + "    api_key: ${env:TEST_KEY}\n"
            + "    base_url: "
            + backup.baseUrl()
            + "\n"
            + "    max_retries: 0\n"
            + "    pricing: {input_per_mtok: 1.0, output_per_mtok: 1.0}\n");
  }

  AgentRuntime.Builder builder() {
    return AgentRuntime.builder()
        .configDir(dir.resolve(".agent"))
        .tool(echo)
        .checkpointStore(store)
        .openTelemetry(otel)
        .clock(clock)
        .sleeper(slept::add)
        .listener(
            new RunListener() {
              @Override
              public void llmCalled(RunEvent.LlmCalled e) {
                llmEvents.add(e);
              }
            })
        .environment(n -> n.equals("TEST_KEY") ? SECRET : System.getenv(n));
  }

  AgentRuntime runtime() {
    return builder().build();
  }

  static RunResult ask(AgentRuntime rt) {
    return rt.run("ask", Map.of("topic", "maths"));
  }

  List<CallRecord> llmCalls() {
    return store.calls.stream().filter(c -> c.kind() == CallKind.LLM).toList();
  }

  @Test
  void run_primaryRateLimited_backupAnswers_recordsBackupAndCounts() throws IOException {
    config("");
    main.reply(429, SLOW_DOWN).reply(429, SLOW_DOWN);
    backup.answer("from backup", 1000, 1000);

    RunResult r;
    try (AgentRuntime rt = runtime()) {
      r = ask(rt);
    }

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("from backup");
    assertThat(main.requestCount()).isEqualTo(2); // the call and its one retry
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(backup.authorizations).containsExactly("Bearer " + SECRET);
    // the record names the model that answered, with the request that model was sent and its price
    CallRecord call = llmCalls().get(0);
    assertThat(call.name()).isEqualTo("backup");
    assertThat(call.request().path("model").path("key").asText()).isEqualTo("backup");
    assertThat(call.request().path("model").path("name").asText()).isEqualTo("gpt-backup");
    assertThat(call.usage().costUsd()).isEqualTo(0.002);
    assertThat(llmEvents).extracting(RunEvent.LlmCalled::model).containsExactly("backup");
    assertThat(counts("agentrt.model.errors", "agentrt.model", "error.type"))
        .containsExactly(Map.entry("default/rate_limited", 2L));
    assertThat(
            counts(
                "agentrt.model.fallbacks",
                "agentrt.model",
                "agentrt.model.fallback",
                "agentrt.fallback.reason"))
        .containsExactly(Map.entry("default/backup/error", 1L));
    SpanData chat = chatSpans().get(0);
    assertThat(chat.getName()).isEqualTo("chat gpt-main");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("agentrt.model.answered")))
        .isEqualTo("backup");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("agentrt.model.fallback_from")))
        .isEqualTo("default");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
        .isEqualTo("gpt-backup");
  }

  @Test
  void run_primaryAnswers_noFallbackAttribute() throws IOException {
    config("");
    main.answer("from main", 5, 2);

    RunResult r;
    try (AgentRuntime rt = runtime()) {
      r = ask(rt);
    }

    assertThat(r.output().asText()).isEqualTo("from main");
    assertThat(backup.requestCount()).isZero();
    assertThat(llmCalls().get(0).name()).isEqualTo("default");
    SpanData chat = chatSpans().get(0);
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("agentrt.model.answered")))
        .isEqualTo("default");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("agentrt.model.fallback_from")))
        .isNull();
  }

  @Test
  void run_primaryBadRequest_doesNotFallBack_failsNamingThePrimary() throws IOException {
    config("");
    main.reply(400, "{\"error\":{\"message\":\"bad tools\",\"type\":\"invalid_request_error\"}}");

    RunResult r;
    try (AgentRuntime rt = runtime()) {
      r = ask(rt);
    }

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-main) call failed: HTTP 400: bad tools");
    assertThat(main.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isZero();
    assertThat(counts("agentrt.model.errors", "agentrt.model", "error.type"))
        .containsExactly(Map.entry("default/client_error", 1L));
    assertThat(counts("agentrt.model.fallbacks", "agentrt.model")).isEmpty();
  }

  @Test
  void run_everyModelFails_failsNamingEachInTurn() throws IOException {
    config("");
    main.reply(503, "{\"error\":{\"message\":\"overloaded\"}}")
        .reply(503, "{\"error\":{\"message\":\"overloaded\"}}");
    backup.reply(500, "{\"error\":{\"message\":\"boom\"}}");

    RunResult r;
    try (AgentRuntime rt = runtime()) {
      r = ask(rt);
    }

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-main) call failed: HTTP 503: overloaded; then model 'backup'"
                + " (openai gpt-backup) call failed: HTTP 500: boom");
  }

  @Test
  void run_circuitOpen_skipsPrimaryWithoutCallingIt_untilOpenForHasPassed() throws IOException {
    config("    circuit_breaker: {failure_rate: 50, window: 2, open_for: 30s}\n");
    main.reply(503, "{}").reply(503, "{}"); // two failures in a window of 2: the circuit opens
    backup.answer("backup 1", 5, 2).answer("backup 2", 5, 2);

    try (AgentRuntime rt = runtime()) {
      assertThat(ask(rt).output().asText()).isEqualTo("backup 1");
      assertThat(main.requestCount()).isEqualTo(2);

      RunResult second = ask(rt);

      assertThat(second.output().asText()).isEqualTo("backup 2");
      assertThat(main.requestCount()).isEqualTo(2); // not called while open
      assertThat(counts("agentrt.model.refused", "agentrt.model", "agentrt.model.refusal"))
          .containsExactly(Map.entry("default/circuit_open", 1L));
      assertThat(counts("agentrt.model.fallbacks", "agentrt.model", "agentrt.fallback.reason"))
          .containsExactly(Map.entry("default/circuit_open", 1L), Map.entry("default/error", 1L));

      // after open_for one trial call goes to the model again; it answers and closes the circuit
      clock.advance(Duration.ofSeconds(31));
      main.answer("main again", 5, 2);
      assertThat(ask(rt).output().asText()).isEqualTo("main again");
      assertThat(main.requestCount()).isEqualTo(3);
    }
    assertThat(llmCalls())
        .extracting(CallRecord::name)
        .containsExactly("backup", "backup", "default");
  }

  @Test
  void run_circuitOpenWithoutFallback_failsAtOnceWithoutCallingTheModel() throws IOException {
    config("    circuit_breaker: {window: 2, open_for: 1m}\n", "fallback: []");
    main.reply(503, "{}").reply(503, "{}");

    try (AgentRuntime rt = runtime()) {
      assertThat(ask(rt).status()).isEqualTo(RunStatus.FAILED);
      RunResult second = ask(rt);

      assertThat(second.status()).isEqualTo(RunStatus.FAILED);
      assertThat(second.message())
          .isEqualTo(
              "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                  + " (openai gpt-main) not called: its circuit breaker is open (at least 50% of"
                  + " its last 2 calls failed; it is tried again 60 s after it opened)");
    }
    assertThat(main.requestCount()).isEqualTo(2);
  }

  @Test
  void run_rateLimitReached_nextCallGoesToTheFallback() throws IOException {
    config("    rate_limit: {calls: 1, per: 1m}\n");
    main.answer("main", 5, 2);
    backup.answer("backup", 5, 2);

    try (AgentRuntime rt = runtime()) {
      assertThat(ask(rt).output().asText()).isEqualTo("main");
      assertThat(ask(rt).output().asText()).isEqualTo("backup");
    }

    assertThat(main.requestCount()).isEqualTo(1);
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(counts("agentrt.model.refused", "agentrt.model", "agentrt.model.refusal"))
        .containsExactly(Map.entry("default/rate_limit", 1L));
    assertThat(slept).isEmpty();
  }

  @Test
  void run_rateLimitReachedWithoutFallback_waitsForTheNextPeriod() throws IOException {
    config("    rate_limit: {calls: 1, per: 1m}\n", "fallback: []");
    main.answer("first", 5, 2).answer("second", 5, 2);

    try (AgentRuntime rt = runtime()) {
      assertThat(ask(rt).output().asText()).isEqualTo("first");
      assertThat(ask(rt).output().asText()).isEqualTo("second");
    }

    assertThat(main.requestCount()).isEqualTo(2);
    assertThat(slept).containsExactly(Duration.ofMinutes(1)); // the clock stands still
  }

  @Test
  void run_registeredModel_servesAsFallback() throws IOException {
    config("", "fallback: [local]");
    main.reply(500, "{}").reply(500, "{}");
    ScriptedModel local = ScriptedModel.builder().answer("from local").build();

    RunResult r;
    try (AgentRuntime rt = builder().model("local", local).build()) {
      r = ask(rt);
    }

    assertThat(r.output().asText()).as(String.valueOf(r.message())).isEqualTo("from local");
    assertThat(local.calls()).isEqualTo(1);
    assertThat(llmCalls()).extracting(CallRecord::name).containsExactly("local");
  }

  @Test
  void resume_callAnsweredByFallback_isReplayedFromTheRecordWithoutCallingAnyModel()
      throws IOException {
    config("");
    main.reply(429, SLOW_DOWN).reply(429, SLOW_DOWN); // call 0: the backup answers
    backup.toolCalls(10, 2, new String[] {"call_a", "echo", "{\"text\":\"one\"}"});
    main.answer("lost in the crash", 20, 3); // call 2: the main model again; its record is lost
    // the run's trace record, llm #0 and tool #1 are recorded; recording llm #2 "kills the process"
    store.crashAfterCalls = 3;
    String runId;
    try (AgentRuntime rt = runtime()) {
      runId = ask(rt).runId();
    }
    assertThat(store.delegate.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(main.requestCount()).isEqualTo(3);
    assertThat(backup.requestCount()).isEqualTo(1);
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;
    main.answer("final", 20, 3);

    RunResult resumed;
    try (AgentRuntime rt = runtime()) {
      resumed = rt.resume(runId, null);
    }

    assertThat(resumed.status())
        .as(String.valueOf(resumed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(resumed.output().asText()).isEqualTo("final");
    // call 0 came from its record (answered by backup): neither model was sent it again
    assertThat(backup.requestCount()).isEqualTo(1);
    assertThat(main.requestCount()).isEqualTo(4);
    assertThat(main.requests).filteredOn(q -> q.path("messages").size() == 2).hasSize(2);
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(llmCalls()).extracting(CallRecord::name).containsExactly("backup", "default");
  }

  List<SpanData> chatSpans() {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().startsWith("chat "))
        .toList();
  }

  /** The points of counter {@code name} as {@code attr1/attr2/... -> value}. */
  Map<String, Long> counts(String name, String... keys) {
    Map<String, Long> out = new TreeMap<>();
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals(name)) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        Attributes a = p.getAttributes();
        StringBuilder k = new StringBuilder();
        for (String key : keys) {
          if (k.length() > 0) k.append('/');
          k.append(a.get(AttributeKey.stringKey(key)));
        }
        out.merge(k.toString(), p.getValue(), Long::sum);
      }
    }
    return out;
  }
}
