package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.agentrt.tools.ToolBus;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents with {@code stream: true}: the OpenAI client streaming SSE from a stub on 127.0.0.1. */
class StreamingAgentTest {
  @TempDir Path dir;
  StubOpenAi stub;
  EchoTool echo;
  Path config;
  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  final List<String> tokenThreads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubOpenAi();
    echo = new EchoTool();
    config =
        ProviderAgentFixture.write(
            dir,
            "    provider: openai\n"
                + "    model: gpt-test\n"
                + "    api_key: ${env:TEST_KEY}\n"
                + "    base_url: "
                + stub.baseUrl()
                + "\n"
                + "    max_retries: 0\n"
                + "    pricing: {input_per_mtok: 2.0, output_per_mtok: 10.0}\n");
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  void streaming(boolean on) throws IOException {
    Files.writeString(
        config.resolve("agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n"
            + "tools: [echo]\nstream: "
            + on
            + "\n");
  }

  RunResult run(RecordingStore store) {
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(config)
            .tool(echo)
            .checkpointStore(store)
            .sleeper(d -> {})
            .listener(
                new RunListener() {
                  @Override
                  public void llmToken(RunEvent.LlmToken e) {
                    tokenThreads.add(Thread.currentThread().getName());
                    events.add(e);
                  }

                  @Override
                  public void llmCalled(RunEvent.LlmCalled e) {
                    events.add(e);
                  }
                })
            .environment(n -> n.equals("TEST_KEY") ? ProviderAgentFixture.SECRET : System.getenv(n))
            .build()) {
      return rt.run("ask", Map.of("topic", "maths"));
    }
  }

  List<RunEvent.LlmToken> tokens() {
    List<RunEvent.LlmToken> t = new ArrayList<>();
    for (RunEvent e : events) if (e instanceof RunEvent.LlmToken k) t.add(k);
    return t;
  }

  @Test
  void run_streamRateLimitedBeforeAnyText_retriesAndStreamsTheAnswerOnce() throws IOException {
    streaming(true);
    Files.writeString(
        config.resolve("config.yml"),
        Files.readString(config.resolve("config.yml")).replace("max_retries: 0", "max_retries: 1"));
    stub.reply(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}");
    stub.streamAnswer(12, 3, "The ", "answer.");
    RecordingStore store = new RecordingStore();

    RunResult r = run(store);
    store.delegate.close();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("The answer.");
    assertThat(stub.requestCount()).isEqualTo(2);
    assertThat(tokens()).extracting(RunEvent.LlmToken::text).containsExactly("The ", "answer.");
    assertThat(r.usage().llmCalls()).isEqualTo(1);
  }

  @Test
  void run_streamedAnswer_deliversTokensInOrderAndConcatenationIsTheAnswer() throws IOException {
    streaming(true);
    stub.streamAnswer(12, 3, "The ", "answer ", "is ", "four.");
    RecordingStore store = new RecordingStore();

    RunResult r = run(store);
    store.delegate.close();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("The answer is four.");
    assertThat(tokens())
        .extracting(RunEvent.LlmToken::text)
        .containsExactly("The ", "answer ", "is ", "four.");
    assertThat(String.join("", tokens().stream().map(RunEvent.LlmToken::text).toList()))
        .isEqualTo(r.output().asText());
    assertThat(tokens())
        .allSatisfy(
            t -> {
              assertThat(t.runId()).isEqualTo(r.runId());
              assertThat(t.stepKey()).isEqualTo("ask#0");
              assertThat(t.model()).isEqualTo("default");
              assertThat(t.index()).isZero();
            });
    // the tokens of a call come before its LlmCalled, on the step's thread
    assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.LlmCalled.class);
    assertThat(tokenThreads).noneMatch(n -> n.startsWith("HttpClient"));
    assertThat(stub.requests.get(0).path("stream").asBoolean()).isTrue();
    assertThat(stub.requests.get(0).path("stream_options").path("include_usage").asBoolean())
        .isTrue();
    assertThat(r.usage().inputTokens()).isEqualTo(12);
    assertThat(r.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void run_streamedToolCallDeltas_runsToolsAndEqualsNonStreamingRun() throws IOException {
    streaming(false);
    stub.toolCalls(
        1000,
        200,
        new String[] {"call_a", "echo", "{\"text\":\"one\"}"},
        new String[] {"call_b", "echo", "{\"text\":\"two\"}"});
    stub.answer("Both echoed.", 3000, 100);
    RecordingStore plainStore = new RecordingStore();
    RunResult plain = run(plainStore);
    int plainRequests = stub.requestCount();
    events.clear();

    streaming(true);
    stub.streamToolCalls(
        1000,
        200,
        new String[] {"call_a", "echo", "{\"text\":\"one\"}"},
        new String[] {"call_b", "echo", "{\"text\":\"two\"}"});
    stub.streamAnswer(3000, 100, "Both ", "echo", "ed.");
    RecordingStore streamStore = new RecordingStore();
    RunResult streamed = run(streamStore);

    assertThat(plain.status()).as(String.valueOf(plain.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(streamed.status())
        .as(String.valueOf(streamed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(streamed.output()).isEqualTo(plain.output());
    assertThat(echo.calls.get()).isEqualTo(4);
    // the tool results went back to the model as in the non-streaming run
    JsonNode messages = stub.requests.get(plainRequests + 1).path("messages");
    assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_a");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("echo:one");
    assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_b");
    assertThat(messages.get(4).path("content").asText()).isEqualTo("echo:two");
    assertThat(messages).isEqualTo(stub.requests.get(1).path("messages"));
    // tokens: only the final answer has text, call index 3 (llm 0, tools 1 and 2, llm 3)
    assertThat(tokens())
        .extracting(t -> t.index() + ":" + t.text())
        .containsExactly("3:Both ", "3:echo", "3:ed.");
    assertThat(comparable(streamStore.calls)).isEqualTo(comparable(plainStore.calls));
    assertThat(streamed.usage().inputTokens())
        .isEqualTo(plain.usage().inputTokens())
        .isEqualTo(4000);
    assertThat(streamed.usage().outputTokens())
        .isEqualTo(plain.usage().outputTokens())
        .isEqualTo(300);
    assertThat(streamed.usage().costUsd()).isEqualTo(plain.usage().costUsd());
    assertThat(streamed.usage().llmCalls()).isEqualTo(2);
    plainStore.delegate.close();
    streamStore.delegate.close();
  }

  @Test
  void run_streamedCallServerError_failsStepNamingModelAndStatus() throws IOException {
    streaming(true);
    stub.reply(500, "{\"error\":{\"message\":\"boom\"}}");
    RecordingStore store = new RecordingStore();

    RunResult r = run(store);
    store.delegate.close();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "node 'ask': agent 'helper': model 'default' (openai gpt-test) call failed: HTTP 500: ")
        .contains("boom");
    assertThat(tokens()).isEmpty();
  }

  @Test
  void run_providerWithoutStreaming_answersWithoutTokens() throws IOException {
    streaming(true);
    Files.writeString(config.resolve("config.yml"), "models:\n  default:\n    provider: plain\n");
    ModelProvider plain =
        new ModelProvider() {
          @Override
          public String name() {
            return "plain";
          }

          @Override
          public ChatModel create(ModelSetup setup) {
            return new ChatModel() {
              @Override
              public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("not streamed")).build();
              }
            };
          }
        };
    RecordingStore store = new RecordingStore();
    RunResult r;
    try (AgentNodeExecutor agents =
            AgentNodeExecutor.builder()
                .toolBus(ToolBus.builder().tool(echo).build())
                .modelProvider(plain)
                .build();
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(config)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .sleeper(d -> {})
                .listener(
                    new RunListener() {
                      @Override
                      public void llmToken(RunEvent.LlmToken e) {
                        events.add(e);
                      }
                    })
                .build()) {
      r = rt.run("ask", Map.of("topic", "maths"));
    }
    store.delegate.close();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).isEqualTo("not streamed");
    assertThat(tokens()).isEmpty();
  }

  /** A call record without its run, times and durations. */
  static List<String> comparable(List<CallRecord> calls) {
    List<String> out = new ArrayList<>();
    for (CallRecord c : calls) {
      out.add(
          c.kind()
              + " "
              + c.index()
              + " "
              + c.name()
              + " "
              + c.requestHash()
              + " "
              + c.request()
              + " -> "
              + c.response()
              + " "
              + c.usage().inputTokens()
              + "/"
              + c.usage().outputTokens()
              + "/"
              + c.usage().costUsd());
    }
    out.sort(null);
    return out;
  }
}
