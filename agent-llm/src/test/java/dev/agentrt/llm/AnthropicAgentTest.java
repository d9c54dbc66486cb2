package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import java.io.IOException;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code provider: anthropic}: the real LangChain4j Anthropic client against a messages-API stub on 127.0.0.1. */
class AnthropicAgentTest {
  @TempDir Path dir;
  StubHttp stub;
  RecordingStore store;
  EchoTool echo;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubHttp("/v1/messages");
    store = new RecordingStore();
    echo = new EchoTool();
    config = ProviderAgentFixture.write(dir, "    provider: anthropic\n"
        + "    model: claude-test\n"
        + "    api_key: ${env:TEST_KEY}\n"
        + "    base_url: " + stub.origin() + "/v1/\n"
        + "    max_retries: 0\n"
        + "    pricing: {input_per_mtok: 3.0, output_per_mtok: 15.0}\n");
  }

  @AfterEach
  void tearDown() {
    stub.close();
    store.delegate.close();
  }

  @Test
  void run_toolUseRoundTrip_sendsToolResultAndCompletesWithUsageCharged() {
    stub.json("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Let me check.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"echo\",\"input\":{\"text\":\"one\"}}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,\"output_tokens\":200}}");
    stub.json("{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"It said echo:one.\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":3000,\"output_tokens\":100}}");

    RunResult r = ProviderAgentFixture.run(config, echo, store);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("It said echo:one.");
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(stub.requests).hasSize(2);
    JsonNode first = stub.requests.get(0);
    assertThat(first.path("model").asText()).isEqualTo("claude-test");
    assertThat(first.path("system").toString()).contains("You help with maths.");
    assertThat(first.path("tools").get(0).path("name").asText()).isEqualTo("echo");
    assertThat(first.path("tools").get(0).path("input_schema").path("required").get(0).asText()).isEqualTo("text");
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

  static JsonNode find(JsonNode blocks, String type) {
    for (JsonNode b : blocks) if (type.equals(b.path("type").asText())) return b;
    throw new AssertionError("no " + type + " block in " + blocks);
  }
}
