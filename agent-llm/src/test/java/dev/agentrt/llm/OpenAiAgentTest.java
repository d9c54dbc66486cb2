package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code kind: agent} with the real LangChain4j OpenAI client against a local stub server. */
class OpenAiAgentTest {
  static final String SECRET = "sk-planted-SECRET-4c1d9e";

  @TempDir Path dir;
  StubOpenAi stub;
  RecordingStore store;
  EchoTool echo;
  ListAppender<ILoggingEvent> logs;
  Logger root;

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubOpenAi();
    store = new RecordingStore();
    echo = new EchoTool();
    Path c = dir.resolve(".agent");
    Files.createDirectories(c.resolve("workflows"));
    Files.createDirectories(c.resolve("agents"));
    Files.createDirectories(c.resolve("prompts"));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-test\n"
            + "    api_key: ${env:TEST_OPENAI_KEY}\n"
            + "    base_url: "
            + stub.baseUrl()
            + "\n"
            + "    max_retries: 2\n"
            + "    pricing: {input_per_mtok: 2.0, output_per_mtok: 10.0}\n");
    Files.writeString(c.resolve("prompts/helper.md"), "You help with {{input.topic}}.");
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n" + "tools: [echo]\n");
    Files.writeString(
        c.resolve("workflows/ask.yml"),
        "id: ask\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: helper}\n"
            + "  - {id: done, role: exit, output: \"{{ask}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: ask}\n"
            + "  - {from: ask, to: done}\n");
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
    root.setLevel(Level.WARN);
    stub.close();
    store.delegate.close();
  }

  final java.util.List<dev.agentrt.core.event.RunEvent.LlmCalled> llmEvents =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  final java.util.List<dev.agentrt.core.event.RunEvent.ToolCalled> toolEvents =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  io.opentelemetry.api.OpenTelemetry otel = io.opentelemetry.api.OpenTelemetry.noop();

  /** The waits between model retries: recorded by the runtime's sleeper instead of slept. */
  final java.util.List<java.time.Duration> slept =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  AgentRuntime runtime() {
    return AgentRuntime.builder()
        .configDir(dir.resolve(".agent"))
        .tool(echo)
        .checkpointStore(store)
        .openTelemetry(otel)
        .sleeper(slept::add)
        .listener(
            new dev.agentrt.core.spi.RunListener() {
              @Override
              public void llmCalled(dev.agentrt.core.event.RunEvent.LlmCalled e) {
                llmEvents.add(e);
              }

              @Override
              public void toolCalled(dev.agentrt.core.event.RunEvent.ToolCalled e) {
                toolEvents.add(e);
              }
            })
        .environment(n -> n.equals("TEST_OPENAI_KEY") ? SECRET : System.getenv(n))
        .build();
  }

  RunResult run() {
    try (AgentRuntime rt = runtime()) {
      return rt.run("ask", Map.of("topic", "maths"));
    }
  }

  @Test
  void run_agentTemperature_sentInsteadOfTheModels_andRecorded() throws Exception {
    Path c = dir.resolve(".agent");
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\ntools: [echo]\ntemperature: 0.7\n");
    stub.answer("Four.", 12, 3);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(stub.requests.get(0).path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(
            store
                .delegate
                .calls(r.runId())
                .get(0)
                .request()
                .path("model")
                .path("temperature")
                .asDouble())
        .isEqualTo(0.7);
  }

  @Test
  void run_plainAnswer_completesWithTextAndSendsPromptAndKey() {
    stub.answer("Four.", 12, 3);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("Four.");
    JsonNode req = stub.requests.get(0);
    assertThat(req.path("model").asText()).isEqualTo("gpt-test");
    assertThat(req.path("temperature").asDouble()).isEqualTo(0.0);
    assertThat(req.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(req.path("messages").get(0).path("content").asText())
        .isEqualTo("You help with maths.");
    assertThat(req.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(req.path("messages").get(1).path("content").asText())
        .contains("\"topic\" : \"maths\"");
    assertThat(req.path("tools").get(0).path("function").path("name").asText()).isEqualTo("echo");
    assertThat(stub.authorizations).containsExactly("Bearer " + SECRET);
  }

  @Test
  void run_twoToolCallsInOneResponse_runsThemAndSendsResultsInCallOrder() {
    stub.toolCalls(
        20,
        10,
        new String[] {"call_a", "echo", "{\"text\":\"one\"}"},
        new String[] {"call_b", "echo", "{\"text\":\"two\"}"});
    stub.answer("done", 40, 5);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("done");
    assertThat(echo.calls.get()).isEqualTo(2);
    assertThat(stub.requestCount()).isEqualTo(2);
    JsonNode messages = stub.requests.get(1).path("messages");
    assertThat(messages).hasSize(5);
    assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(2).path("tool_calls")).hasSize(2);
    assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_a");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("echo:one");
    assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_b");
    assertThat(messages.get(4).path("content").asText()).isEqualTo("echo:two");
    assertThat(store.calls)
        .extracting(c -> c.kind().wireName(), CallRecord::index)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("llm", 0),
            org.assertj.core.groups.Tuple.tuple("tool", 1),
            org.assertj.core.groups.Tuple.tuple("tool", 2),
            org.assertj.core.groups.Tuple.tuple("llm", 3));
  }

  @Test
  void run_twoToolCallsInOneResponse_runConcurrently() {
    stub.toolCalls(
        1,
        1,
        new String[] {"call_a", "echo", "{\"text\":\"together-1\"}"},
        new String[] {"call_b", "echo", "{\"text\":\"together-2\"}"});
    stub.answer("done", 1, 1);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    JsonNode messages = stub.requests.get(1).path("messages");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("echo:together-1");
    assertThat(messages.get(4).path("content").asText()).isEqualTo("echo:together-2");
  }

  @Test
  void run_usageInResponses_chargesBudgetWithTokensAndCost() {
    stub.toolCalls(1000, 200, new String[] {"call_a", "echo", "{\"text\":\"x\"}"});
    stub.answer("ok", 3000, 100);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.usage().llmCalls()).isEqualTo(2);
    assertThat(r.usage().toolCalls()).isEqualTo(1);
    assertThat(r.usage().inputTokens()).isEqualTo(4000);
    assertThat(r.usage().outputTokens()).isEqualTo(300);
    // 4000 * 2.0 / 1e6 + 300 * 10.0 / 1e6
    assertThat(r.usage().costUsd()).isCloseTo(0.011, org.assertj.core.data.Offset.offset(1e-12));
    CallRecord first = store.calls.get(0);
    assertThat(first.usage().inputTokens()).isEqualTo(1000);
    assertThat(first.response().path("usage").path("cost_usd").asDouble())
        .isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(llmEvents)
        .extracting(
            e -> e.index() + " " + e.model() + " " + e.inputTokens() + "/" + e.outputTokens())
        .containsExactly("0 default 1000/200", "2 default 3000/100");
  }

  @Test
  void run_rateLimitedThenSuccess_retriesAndCompletes() {
    stub.reply(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}");
    stub.answer("after retry", 5, 2);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("after retry");
    assertThat(stub.requestCount()).isEqualTo(2);
    assertThat(r.usage().llmCalls()).isEqualTo(1);
    assertThat(slept).containsExactly(java.time.Duration.ofMillis(500));
  }

  @Test
  void run_serverError_failsStepNamingModelAndStatus() throws IOException {
    noRetries();
    stub.reply(500, "{\"error\":{\"message\":\"boom\"}}");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
    assertThat(r.message())
        .contains(
            "node 'ask': agent 'helper': model 'default' (openai gpt-test) call failed: HTTP 500: ")
        .contains("boom");
  }

  @Test
  void run_malformedBody_failsWithOneReadableLineNamingModel() throws IOException {
    noRetries();
    stub.reply(200, "{\"choices\": [ this is not json");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-test) call failed: malformed response from "
                + host()
                + ": not valid JSON (Unrecognized token"
                + " 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))");
  }

  @Test
  void run_responseWithoutChoices_failsWithOneReadableLineNamingModel() throws IOException {
    noRetries();
    stub.reply(200, "{\"id\":\"c1\",\"object\":\"chat.completion\"}");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-test) call failed: malformed response from "
                + host()
                + ": Chat completion failed: no choices"
                + " returned in response");
  }

  @Test
  void run_retriedServerErrors_logOneLineOfOursPerRetryAndNeverTheKey() {
    root.setLevel(Level.TRACE);
    stub.reply(
        500,
        "{\"error\":{\"message\":\"upstream echoed key "
            + SECRET
            + "\",\"type\":\"server_error\"}}");
    stub.reply(
        429, "{\"error\":{\"message\":\"slow down, " + SECRET + "\",\"type\":\"rate_limit\"}}");
    stub.answer("after retries", 5, 2);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(stub.requestCount()).isEqualTo(3);
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "model 'default' (openai gpt-test): HTTP 500 on attempt 1 of 3; retrying in 500 ms",
            "model 'default' (openai gpt-test): HTTP 429 on attempt 2 of 3; retrying in 1000 ms");
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .allMatch(e -> e.getThrowableProxy() == null);
    assertThat(logs.list).isNotEmpty().noneMatch(OpenAiAgentTest::mentionsSecret);
  }

  @Test
  void run_serverErrorsExhaustRetries_failsWithProviderMessageRedacted() throws IOException {
    root.setLevel(Level.TRACE);
    Path cfg = dir.resolve(".agent/config.yml");
    Files.writeString(cfg, Files.readString(cfg).replace("max_retries: 2", "max_retries: 1"));
    stub.reply(503, "{\"error\":{\"message\":\"overloaded " + SECRET + "\"}}");
    stub.reply(503, "{\"error\":{\"message\":\"overloaded " + SECRET + "\"}}");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-test) call failed: HTTP 503: overloaded ****");
    assertThat(stub.requestCount()).isEqualTo(2);
    assertThat(logs.list).noneMatch(OpenAiAgentTest::mentionsSecret);
  }

  static boolean mentionsSecret(ILoggingEvent e) {
    StringBuilder sb =
        new StringBuilder(String.valueOf(e.getMessage())).append(e.getFormattedMessage());
    if (e.getArgumentArray() != null) for (Object a : e.getArgumentArray()) sb.append(a);
    if (e.getThrowableProxy() != null)
      sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    if (e.getMDCPropertyMap() != null) sb.append(e.getMDCPropertyMap());
    return sb.toString().contains(SECRET);
  }

  @Test
  void run_closedPort_failsNamingModelHostAndConnectionRefused() throws IOException {
    noRetries();
    int port = closedPort();
    Path cfg = dir.resolve(".agent/config.yml");
    Files.writeString(
        cfg, Files.readString(cfg).replace(stub.baseUrl(), "http://127.0.0.1:" + port + "/v1"));

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-test) call failed: cannot connect to 127.0.0.1:"
                + port
                + " (connection refused)");
  }

  @Test
  void run_unknownHost_failsNamingModelHostAndUnknownHost() throws IOException {
    noRetries();
    Path cfg = dir.resolve(".agent/config.yml");
    // .invalid never resolves (RFC 6761): the local resolver answers without asking anyone
    Files.writeString(
        cfg, Files.readString(cfg).replace(stub.baseUrl(), "http://model-server.invalid/v1"));

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (openai gpt-test) call failed: cannot reach model-server.invalid (unknown host; check base_url)");
  }

  /** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
  static int closedPort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String host() {
    return stub.baseUrl().replace("http://", "").replace("/v1", "");
  }

  @Test
  void run_plantedApiKey_neverInRecordsMessagesOrLogs() throws IOException {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    io.opentelemetry.sdk.OpenTelemetrySdk sdk =
        io.opentelemetry.sdk.OpenTelemetrySdk.builder()
            .setTracerProvider(
                io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .addSpanProcessor(
                        io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    otel = sdk;
    stub.toolCalls(1, 1, new String[] {"call_a", "echo", "{\"text\":\"x\"}"});
    stub.answer("fine", 1, 1);
    RunResult ok = run();
    stub.reply(500, "{\"error\":{\"message\":\"key " + SECRET + " rejected\"}}");
    noRetries();
    RunResult failed = run();

    assertThat(ok.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    List<String> texts = new ArrayList<>();
    for (CallRecord c : store.calls) texts.add(c.toString() + c.request() + c.response());
    texts.add(String.valueOf(ok.message()));
    texts.add(String.valueOf(failed.message()));
    texts.add(ok.toString());
    texts.add(failed.toString());
    for (ILoggingEvent e : logs.list) {
      texts.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null)
        texts.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    for (String runId : List.of(ok.runId(), failed.runId())) {
      for (dev.agentrt.core.spi.StepRecord step : store.steps(runId))
        texts.add(step.toString() + step.output());
    }
    for (io.opentelemetry.sdk.trace.data.SpanData span : spans.getFinishedSpanItems())
      texts.add(span.toString());
    assertThat(spans.getFinishedSpanItems())
        .extracting(io.opentelemetry.sdk.trace.data.SpanData::getName)
        .contains("chat gpt-test", "execute_tool echo", "invoke_agent helper");
    sdk.close();
    assertThat(store.calls).isNotEmpty();
    assertThat(texts).noneMatch(t -> t.contains(SECRET));
    assertThat(failed.message()).contains("key **** rejected");
  }

  @Test
  void resume_afterCrashInAgentStep_doesNotResendRecordedRequests() {
    stub.toolCalls(10, 2, new String[] {"call_a", "echo", "{\"text\":\"one\"}"});
    stub.answer("lost in the crash", 20, 3);
    stub.answer("final", 20, 3);
    store.crashAfterCalls =
        2; // llm #0 and tool #1 are recorded; recording llm #2 "kills the process"
    String runId;
    try (AgentRuntime rt = runtime()) {
      RunResult crashed = rt.run("ask", Map.of("topic", "maths"));
      runId = crashed.runId();
    }
    assertThat(store.delegate.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(stub.requestCount()).isEqualTo(2);
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;

    RunResult resumed;
    try (AgentRuntime rt = runtime()) {
      resumed = rt.resume(runId, null);
    }

    assertThat(resumed.status())
        .as(String.valueOf(resumed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(resumed.output().asText()).isEqualTo("final");
    // the first request (system + user only) went out once; the tool ran once; only the unrecorded
    // call was resent
    assertThat(stub.requestCount()).isEqualTo(3);
    assertThat(stub.requests).filteredOn(q -> q.path("messages").size() == 2).hasSize(1);
    assertThat(echo.calls.get()).isEqualTo(1);
  }

  @Test
  void resume_recordedRequestDiffers_failsAsDiverged() throws IOException {
    stub.toolCalls(10, 2, new String[] {"call_a", "echo", "{\"text\":\"one\"}"});
    stub.answer("lost in the crash", 20, 3);
    store.crashAfterCalls = 2;
    String runId;
    try (AgentRuntime rt = runtime()) {
      runId = rt.run("ask", Map.of("topic", "maths")).runId();
    }
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;
    Path config = dir.resolve(".agent/config.yml");
    Files.writeString(
        config, Files.readString(config).replace("model: gpt-test", "model: gpt-other"));

    RunResult resumed;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(echo)
            .checkpointStore(store)
            .sleeper(slept::add)
            .environment(n -> n.equals("TEST_OPENAI_KEY") ? SECRET : System.getenv(n))
            .build()) {
      resumed = rt.resume(runId, null);
    }
    // the run's hash covers the workflow, its agents and their prompts, not config.yml: the resumed
    // step asks another model, and the recorded conversation no longer matches
    assertThat(resumed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(resumed.message())
        .contains(
            "node 'ask': agent 'helper': step ask#0: call 0 differs from the one recorded"
                + " before the run stopped")
        .contains("the conversation diverged");
    assertThat(stub.requestCount()).isEqualTo(2);
  }

  /** The agent's only tool is {@code name} (an {@link EchoTool}). */
  void useTool(String name) throws IOException {
    echo = new EchoTool(name);
    Files.writeString(
        dir.resolve(".agent/agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n" + "tools: [" + name + "]\n");
  }

  @Test
  void run_dottedToolName_offersWireSafeNameAndRunsOurTool() throws IOException {
    useTool("text.echo");
    stub.toolCalls(10, 2, new String[] {"call_a", "text_echo", "{\"text\":\"one\"}"});
    stub.answer("done", 20, 3);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.offeredToolNames())
        .containsExactly("text_echo", "text_echo")
        .allMatch(n -> StubOpenAi.NAME.matcher(n).matches());
    JsonNode messages = stub.requests.get(1).path("messages");
    assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("name").asText())
        .isEqualTo("text_echo");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("echo:one");
    // our name everywhere else: the recorded request and response, the tool call record, the event
    CallRecord llm = store.calls.get(0);
    assertThat(llm.request().path("tools").get(0).path("name").asText()).isEqualTo("text.echo");
    assertThat(llm.response().path("tool_calls").get(0).path("name").asText())
        .isEqualTo("text.echo");
    assertThat(store.calls.get(1).kind()).isEqualTo(CallKind.TOOL);
    assertThat(store.calls.get(1).name()).isEqualTo("text.echo");
    assertThat(
            store
                .calls
                .get(2)
                .request()
                .path("messages")
                .get(2)
                .path("tool_calls")
                .get(0)
                .path("name")
                .asText())
        .isEqualTo("text.echo");
    assertThat(toolEvents)
        .extracting(dev.agentrt.core.event.RunEvent.ToolCalled::tool)
        .containsExactly("text.echo");
  }

  @Test
  void run_invalidFunctionName_stubAnswersAsOpenAiDoes() throws IOException {
    JsonNode request =
        StubOpenAi.JSON.readTree(
            "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"fs.read\"}}]}");

    StubOpenAi.Reply reply = StubOpenAi.rejectInvalidNames(request);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(StubOpenAi.JSON.readTree(reply.body()))
        .isEqualTo(
            StubOpenAi.JSON.readTree(
                "{\"error\":{\"message\":"
                    + "\"Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern"
                    + " '^[a-zA-Z0-9_-]+$'.\",\"type\":\"invalid_request_error\",\"param\":\"tools[0].function.name\","
                    + "\"code\":\"invalid_value\"}}"));
  }

  @Test
  void resume_afterCrashWithDottedToolName_reusesRecordedCallsWithSameHash() throws IOException {
    useTool("text.echo");
    stub.toolCalls(10, 2, new String[] {"call_a", "text_echo", "{\"text\":\"one\"}"});
    stub.answer("lost in the crash", 20, 3);
    stub.answer("final", 20, 3);
    store.crashAfterCalls =
        2; // llm #0 and tool #1 are recorded; recording llm #2 "kills the process"
    String runId;
    try (AgentRuntime rt = runtime()) {
      runId = rt.run("ask", Map.of("topic", "maths")).runId();
    }
    String recordedHash = store.calls.get(0).requestHash();
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;

    RunResult resumed;
    try (AgentRuntime rt = runtime()) {
      resumed = rt.resume(runId, null);
    }

    assertThat(resumed.status())
        .as(String.valueOf(resumed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(resumed.output().asText()).isEqualTo("final");
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requestCount()).isEqualTo(3);
    assertThat(store.calls)
        .filteredOn(c -> c.index() == 0)
        .extracting(CallRecord::requestHash)
        .containsOnly(recordedHash);
  }

  @Test
  void load_twoToolsWithOneWireName_failsNamingBoth() throws IOException {
    useTool("text.echo");
    Files.writeString(
        dir.resolve(".agent/agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n"
            + "tools: [text.echo, text_echo]\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AgentRuntime.builder()
                    .configDir(dir.resolve(".agent"))
                    .tool(new EchoTool("text.echo"))
                    .tool(new EchoTool("text_echo"))
                    .checkpointStore(store)
                    .environment(n -> n.equals("TEST_OPENAI_KEY") ? SECRET : System.getenv(n))
                    .build())
        .isInstanceOf(dev.agentrt.core.manifest.ManifestException.class)
        .hasMessageContaining(
            "workflows/ask.yml:4:35: node 'ask': agent 'helper': tools: 'text.echo' and 'text_echo'"
                + " both map to the provider tool name 'text_echo', and providers accept only letters, digits, '_' and '-'"
                + " in tool names (offer only one of them in agents/helper.yml tools:)");
  }

  @Test
  void load_outputSchemaWithUnknownType_failsAtLoadNamingAgentAndKeyword() throws IOException {
    Files.writeString(
        dir.resolve(".agent/agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n"
            + "tools: [echo]\noutput:\n  schema:\n    type: obj\n    required: [summary]\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(this::runtime)
        .isInstanceOf(dev.agentrt.core.manifest.ManifestException.class)
        .hasMessage(
            "1 problem in the agent configuration:\nagents/helper.yml:7:11: agent 'helper': output.schema"
                + " is not a valid JSON Schema (draft 2020-12): /type: 'obj' is not a type (use one of: array, boolean,"
                + " integer, null, number, object, string)");
    assertThat(stub.requestCount()).isZero();
  }

  @Test
  void load_outputSchemaWithWrongKeywordValues_failsAtLoadNamingEachKeyword() throws IOException {
    Files.writeString(
        dir.resolve(".agent/agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n"
            + "tools: [echo]\noutput:\n  schema:\n    type: object\n    required: summary\n"
            + "    properties: {summary: {type: string, minLength: -1}}\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(this::runtime)
        .isInstanceOf(dev.agentrt.core.manifest.ManifestException.class)
        .hasMessage(
            "2 problems in the agent configuration:\n"
                + "agents/helper.yml:8:15: agent 'helper': output.schema is not a valid JSON Schema (draft 2020-12):"
                + " /required: string found, array expected\n"
                + "agents/helper.yml:9:53: agent 'helper': output.schema is not a valid JSON Schema (draft 2020-12):"
                + " /properties/summary/minLength: must have a minimum value of 0");
  }

  void noRetries() throws IOException {
    Path cfg = dir.resolve(".agent/config.yml");
    Files.writeString(cfg, Files.readString(cfg).replace("max_retries: 2", "max_retries: 0"));
  }
}
