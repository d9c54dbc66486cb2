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
 * {@code provider: anthropic}: the real LangChain4j Anthropic client against a messages-API stub on
 * 127.0.0.1.
 */
class AnthropicAgentTest {
  @TempDir Path dir;
  StubHttp stub;
  RecordingStore store;
  EchoTool echo;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubHttp("/v1/messages", StubHttp::anthropicRules);
    store = new RecordingStore();
    echo = new EchoTool();
    config =
        ProviderAgentFixture.write(
            dir,
            "    provider: anthropic\n"
                + "    model: claude-test\n"
                + "    api_key: ${env:TEST_KEY}\n"
                + "    base_url: "
                + stub.origin()
                + "/v1/\n"
                + "    max_retries: 0\n"
                + "    pricing: {input_per_mtok: 3.0, output_per_mtok: 15.0}\n");
  }

  @AfterEach
  void tearDown() {
    stub.close();
    store.delegate.close();
  }

  void queueToolUseThenAnswer() {
    stub.json(
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"Let me check.\"},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"echo\",\"input\":{\"text\":\"one\"}}],"
            + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,\"output_tokens\":200}}");
    stub.json(
        "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"It said echo:one.\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":3000,\"output_tokens\":100}}");
  }

  @Test
  void run_toolUseRoundTrip_sendsToolResultAndCompletesWithUsageCharged() {
    queueToolUseThenAnswer();

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("It said echo:one.");
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requests).hasSize(2);
    JsonNode first = stub.requests.get(0);
    assertThat(first.path("model").asText()).isEqualTo("claude-test");
    assertThat(first.path("system").toString()).contains("You help with maths.");
    assertThat(first.path("tools").get(0).path("name").asText()).isEqualTo("echo");
    assertThat(first.path("tools").get(0).path("input_schema").path("required").get(0).asText())
        .isEqualTo("text");
    assertThat(stub.header(0, "x-api-key")).isEqualTo(ProviderAgentFixture.SECRET);
    assertThat(stub.header(0, "anthropic-version")).isNotBlank();

    JsonNode messages = stub.requests.get(1).path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    JsonNode toolUse = find(messages.get(1).path("content"), "tool_use");
    assertThat(toolUse.path("id").asText()).isEqualTo("toolu_a");
    assertThat(toolUse.path("name").asText()).isEqualTo("echo");
    assertThat(toolUse.path("input").path("text").asText()).isEqualTo("one");
    assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
    JsonNode result = find(messages.get(2).path("content"), "tool_result");
    assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_a");
    assertThat(result.path("content").toString()).contains("echo:one");

    assertThat(r.usage().llmCalls()).isEqualTo(2);
    assertThat(r.usage().inputTokens()).isEqualTo(4000);
    assertThat(r.usage().outputTokens()).isEqualTo(300);
    // 4000 * 3.0 / 1e6 + 300 * 15.0 / 1e6
    assertThat(r.usage().costUsd()).isCloseTo(0.0165, Offset.offset(1e-12));
    CallRecord call0 = store.calls.get(0);
    assertThat(call0.response().path("tool_calls").get(0).path("id").asText()).isEqualTo("toolu_a");
    assertThat(call0.response().path("finish_reason").asText()).isEqualTo("tool_execution");
    assertThat(call0.usage().inputTokens()).isEqualTo(1000);
  }

  @Test
  void run_streamTrue_streamsTextDeltasAndEqualsNonStreamingRun() throws IOException {
    queueToolUseThenAnswer();
    RecordingStore plainStore = store;
    RunResult plain = ProviderAgentFixture.run(config, echo, plainStore);
    Path agent = config.resolve("agents/helper.yml");
    Files.writeString(agent, Files.readString(agent) + "stream: true\n");
    stub.sse(
        new String[] {
          "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
              + "\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":1000,\"output_tokens\":1}}}"
        },
        new String[] {
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"check.\"}}"
        },
        new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
        new String[] {
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":1,"
              + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"echo\",\"input\":{}}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":1,"
              + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"text\\\":\"}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":1,"
              + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"one\\\"}\"}}"
        },
        new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"},
        new String[] {
          "message_delta",
          "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
              + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":200}}"
        },
        new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
    stub.sse(
        new String[] {
          "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\","
              + "\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":3000,\"output_tokens\":1}}}"
        },
        new String[] {
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"It said \"}}"
        },
        new String[] {
          "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"echo:one.\"}}"
        },
        new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
        new String[] {
          "message_delta",
          "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
              + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":100}}"
        },
        new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
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
            .environment(n -> n.equals("TEST_KEY") ? ProviderAgentFixture.SECRET : System.getenv(n))
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
        .containsExactly("0:Let me ", "0:check.", "2:It said ", "2:echo:one.");
    assertThat(stub.requests.get(3).path("messages"))
        .isEqualTo(stub.requests.get(1).path("messages"));
    assertThat(StreamingAgentTest.comparable(streamStore.calls))
        .isEqualTo(StreamingAgentTest.comparable(plainStore.calls));
    assertThat(streamed.usage().costUsd()).isEqualTo(plain.usage().costUsd());
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
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
            + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"text_echo\",\"input\":{\"text\":\"one\"}}],"
            + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}");
    stub.json(
        "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"done\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}");

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requests)
        .extracting(q -> q.path("tools").get(0).path("name").asText())
        .containsExactly("text_echo", "text_echo")
        .allMatch(n -> StubHttp.ANTHROPIC_NAME.matcher(n).matches());
    assertThat(
            find(stub.requests.get(1).path("messages").get(1).path("content"), "tool_use")
                .path("name")
                .asText())
        .isEqualTo("text_echo");
    assertThat(store.calls.get(0).response().path("tool_calls").get(0).path("name").asText())
        .isEqualTo("text.echo");
    assertThat(store.calls.get(1).name()).isEqualTo("text.echo");
  }

  static JsonNode find(JsonNode blocks, String type) {
    for (JsonNode b : blocks) if (type.equals(b.path("type").asText())) return b;
    throw new AssertionError("no " + type + " block in " + blocks);
  }
}
