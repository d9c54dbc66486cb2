package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code provider: ollama}: the real LangChain4j Ollama client against an /api/chat stub on
 * 127.0.0.1.
 */
class OllamaAgentTest {
  @TempDir Path dir;
  StubHttp stub;
  RecordingStore store;
  EchoTool echo;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubHttp("/api/chat", StubHttp::ollamaRules);
    store = new RecordingStore();
    echo = new EchoTool();
    config =
        ProviderAgentFixture.write(
            dir,
            "    provider: ollama\n"
                + "    model: llama-test\n"
                + "    base_url: "
                + stub.origin()
                + "\n"
                + "    seed: 7\n"
                + "    max_retries: 0\n"
                + "    pricing: {input_per_mtok: 1.0, output_per_mtok: 2.0}\n");
  }

  @AfterEach
  void tearDown() {
    stub.close();
    store.delegate.close();
  }

  void queueToolCallThenAnswer() {
    stub.json(
        "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"echo\",\"arguments\":{\"text\":\"one\"}}}]},"
            + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":1000,\"eval_count\":200}");
    stub.json(
        "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"It said echo:one.\"},"
            + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3000,\"eval_count\":100}");
  }

  @Test
  void run_toolCallRoundTrip_sendsToolResultAndCompletesWithUsageCharged() {
    queueToolCallThenAnswer();

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("It said echo:one.");
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requests).hasSize(2);
    JsonNode first = stub.requests.get(0);
    assertThat(first.path("model").asText()).isEqualTo("llama-test");
    assertThat(first.path("stream").asBoolean(true)).isFalse();
    assertThat(first.path("options").path("seed").asInt()).isEqualTo(7);
    assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(first.path("messages").get(0).path("content").asText())
        .isEqualTo("You help with maths.");
    assertThat(first.path("tools").get(0).path("function").path("name").asText()).isEqualTo("echo");

    JsonNode messages = stub.requests.get(1).path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("name").asText())
        .isEqualTo("echo");
    assertThat(
            messages
                .get(2)
                .path("tool_calls")
                .get(0)
                .path("function")
                .path("arguments")
                .path("text")
                .asText())
        .isEqualTo("one");
    assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("echo:one");

    assertThat(r.usage().llmCalls()).isEqualTo(2);
    assertThat(r.usage().inputTokens()).isEqualTo(4000);
    assertThat(r.usage().outputTokens()).isEqualTo(300);
    // 4000 * 1.0 / 1e6 + 300 * 2.0 / 1e6
    assertThat(r.usage().costUsd()).isCloseTo(0.0046, Offset.offset(1e-12));
    CallRecord call0 = store.calls.get(0);
    assertThat(call0.response().path("tool_calls").get(0).path("name").asText()).isEqualTo("echo");
    assertThat(call0.usage().outputTokens()).isEqualTo(200);
  }

  @Test
  void run_dottedToolName_offersWireSafeNameAndRunsOurTool() throws IOException {
    echo = new EchoTool("text.echo");
    config =
        ProviderAgentFixture.write(
            dir,
            Files.readString(config.resolve("config.yml")).replace("models:\n  default:\n", ""),
            "text.echo");
    stub.json(
        "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"text_echo\",\"arguments\":{\"text\":\"one\"}}}]},"
            + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":10,\"eval_count\":2}");
    stub.json(
        "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"done\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":20,\"eval_count\":1}");

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requests)
        .extracting(q -> q.path("tools").get(0).path("function").path("name").asText())
        .containsExactly("text_echo", "text_echo")
        .allMatch(n -> StubOpenAi.NAME.matcher(n).matches());
    assertThat(
            stub.requests
                .get(1)
                .path("messages")
                .get(2)
                .path("tool_calls")
                .get(0)
                .path("function")
                .path("name")
                .asText())
        .isEqualTo("text_echo");
    assertThat(store.calls.get(0).response().path("tool_calls").get(0).path("name").asText())
        .isEqualTo("text.echo");
    assertThat(store.calls.get(1).name()).isEqualTo("text.echo");
  }

  @Test
  void run_serverNotRunning_failsNamingModelHostAndConnectionRefused() throws IOException {
    int port = OpenAiAgentTest.closedPort();
    config =
        ProviderAgentFixture.write(
            dir,
            "    provider: ollama\n    model: llama-test\n"
                + "    base_url: http://127.0.0.1:"
                + port
                + "\n    max_retries: 0\n");

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .isEqualTo(
            "step 'ask#0' (node 'ask') failed: node 'ask': agent 'helper': model 'default'"
                + " (ollama llama-test) call failed: cannot connect to 127.0.0.1:"
                + port
                + " (connection refused)");
  }

  static String line(String message, String done) {
    return "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":"
        + message
        + ","
        + done
        + "}";
  }

  @Test
  void run_streamTrue_streamsNdjsonAndEqualsNonStreamingRun() throws IOException {
    queueToolCallThenAnswer();
    RecordingStore plainStore = store;
    RunResult plain = ProviderAgentFixture.run(config, echo, plainStore);
    Path agent = config.resolve("agents/helper.yml");
    Files.writeString(agent, Files.readString(agent) + "stream: true\n");
    stub.ndjson(
        line(
            "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"echo\","
                + "\"arguments\":{\"text\":\"one\"}}}]}",
            "\"done\":false"),
        line(
            "{\"role\":\"assistant\",\"content\":\"\"}",
            "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":1000,\"eval_count\":200"));
    stub.ndjson(
        line("{\"role\":\"assistant\",\"content\":\"It said \"}", "\"done\":false"),
        line("{\"role\":\"assistant\",\"content\":\"echo:one.\"}", "\"done\":false"),
        line(
            "{\"role\":\"assistant\",\"content\":\"\"}",
            "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3000,\"eval_count\":100"));
    RecordingStore streamStore = new RecordingStore();
    List<RunEvent.LlmToken> tokens = new CopyOnWriteArrayList<>();

    RunResult streamed;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(config)
            .tool(echo)
            .checkpointStore(streamStore)
            .listener(
                new RunListener() {
                  @Override
                  public void llmToken(RunEvent.LlmToken e) {
                    tokens.add(e);
                  }
                })
            .build()) {
      streamed = rt.run("ask", Map.of("topic", "maths"));
    }
    streamStore.delegate.close();

    assertThat(streamed.status())
        .as(String.valueOf(streamed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(streamed.output()).isEqualTo(plain.output());
    assertThat(stub.requests.get(2).path("stream").asBoolean()).isTrue();
    assertThat(tokens)
        .extracting(t -> t.index() + ":" + t.text())
        .containsExactly("2:It said ", "2:echo:one.");
    assertThat(stub.requests.get(3).path("messages"))
        .isEqualTo(stub.requests.get(1).path("messages"));
    assertThat(StreamingAgentTest.comparable(streamStore.calls))
        .isEqualTo(StreamingAgentTest.comparable(plainStore.calls));
    assertThat(streamed.usage().costUsd()).isEqualTo(plain.usage().costUsd());
  }
}
