package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models given as Java objects ({@code AgentRuntime.Builder.model}), with {@link ScriptedModel}.
 */
class RegisteredModelTest {
  @TempDir Path dir;
  Path c;
  RecordingStore store = new RecordingStore();
  EchoTool echo = new EchoTool();

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts"})
      Files.createDirectories(c.resolve(d));
    // a real provider entry whose key is not set: only a registered instance can serve it
    config(
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-4.1-mini\n"
            + "    api_key: ${env:AGENTRT_TEST_KEY_NOT_SET:-}\n"
            + "    pricing: {input_per_mtok: 1000000, output_per_mtok: 2000000}\n");
    Files.writeString(c.resolve("prompts/reviewer.md"), "Review {{input.change}}.");
    agent("");
    Files.writeString(
        c.resolve("workflows/review.yml"),
        "id: review\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: review, kind: agent, agent: reviewer}\n"
            + "  - {id: done, role: exit, output: {review: \"{{review}}\"}}\n"
            + "edges:\n"
            + "  - {from: start, to: review}\n"
            + "  - {from: review, to: done}\n");
  }

  @AfterEach
  void tearDown() {
    store.delegate.close();
  }

  void config(String yaml) throws IOException {
    Files.writeString(c.resolve("config.yml"), yaml);
  }

  void agent(String extra) throws IOException {
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        "name: reviewer\nsystem: prompts/reviewer.md\ntools: [echo]\n"
            + "output: {schema: {type: object, required: [verdict]}}\n"
            + extra);
  }

  static ScriptedModel toolThenAnswer() {
    return ScriptedModel.builder()
        .toolCall("echo", Map.of("text", "diff"))
        .usage(10, 4)
        .turn(t -> t.expectToolResult("echo", "echo:diff").answer("{\"verdict\":\"approve\"}"))
        .usage(20, 6)
        .build();
  }

  RunResult run(Object model) {
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(echo)
            .checkpointStore(store)
            .model("default", model)
            .build()) {
      return rt.run("review", Map.of("change", "a fix"));
    }
  }

  @Test
  void registeredScriptedModel_replacesProviderOfEntry_offlineRecordedAndPricedByEntry() {
    ScriptedModel m = toolThenAnswer();

    RunResult r = run(m);

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("approve");
    assertThat(m.calls()).isEqualTo(2);
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(store.calls)
        .extracting(x -> x.kind().wireName())
        .containsExactly("llm", "tool", "llm");
    assertThat(r.usage().inputTokens()).isEqualTo(30);
    assertThat(r.usage().outputTokens()).isEqualTo(10);
    // pricing of the entry: 1 USD per input token, 2 per output token
    assertThat(r.usage().costUsd()).isEqualTo(30 + 2 * 10.0);
  }

  @Test
  void registeredModel_withoutConfigEntry_loadsAndRunsAtZeroCost() throws IOException {
    config("{}\n");
    agent("model: java\n");
    ScriptedModel m =
        ScriptedModel.builder().answer("{\"verdict\":\"revise\"}").usage(5, 2).build();

    RunResult r;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(echo)
            .checkpointStore(store)
            .model("java", m)
            .build()) {
      r = rt.run("review", Map.of("change", "a fix"));
    }

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("revise");
    assertThat(r.usage().inputTokens()).isEqualTo(5);
    assertThat(r.usage().costUsd()).isZero();
    assertThat(m.calls()).isEqualTo(1);
  }

  @Test
  void agentNamingUnregisteredModel_stillFailsToLoad() throws IOException {
    config("{}\n");
    agent("model: java\n");

    assertThatThrownBy(() -> run(ScriptedModel.builder().answer("x").build()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("model 'java' is not defined in config.yml models");
  }

  @Test
  void wrongType_isALoadProblemNamingModelAndClass() {
    assertThatThrownBy(() -> run("not a model"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "model 'default': java.lang.String is not a ChatModel or StreamingChatModel");
  }

  @Test
  void sameNameTwice_isRefused() {
    AgentRuntime.Builder b = AgentRuntime.builder().model("default", toolThenAnswer());

    assertThatThrownBy(() -> b.model("default", toolThenAnswer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two models registered as 'default'");
  }

  @Test
  void resume_afterCrash_doesNotCallTheModelAgainForRecordedCalls() {
    ScriptedModel m = toolThenAnswer();
    store.crashAfterCalls = 2; // llm #0 and tool #1 are recorded; recording llm #2 "crashes"
    String runId = run(m).runId();
    assertThat(store.delegate.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(m.calls()).isEqualTo(2);
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;

    RunResult resumed;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(echo)
            .checkpointStore(store)
            .model("default", m)
            .build()) {
      resumed = rt.resume(runId, null);
      // replay calls nothing
      rt.replay(runId);
    }

    assertThat(resumed.status())
        .as(String.valueOf(resumed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(m.calls()).as("only the unrecorded llm #2 is asked again").isEqualTo(3);
    assertThat(echo.calls.get()).isEqualTo(1);
    List<CallRecord> llm =
        store.delegate.calls(runId).stream().filter(x -> x.kind() == CallKind.LLM).toList();
    assertThat(llm).extracting(CallRecord::index).containsExactly(0, 2);
  }

  @Test
  void streamTrue_registeredScriptedModelStreams() throws IOException {
    agent("stream: true\n");
    ScriptedModel m = toolThenAnswer();
    List<RunEvent.LlmToken> tokens = new CopyOnWriteArrayList<>();

    RunResult r;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(echo)
            .checkpointStore(store)
            .model("default", m)
            .listener(
                new RunListener() {
                  @Override
                  public void llmToken(RunEvent.LlmToken e) {
                    tokens.add(e);
                  }
                })
            .build()) {
      r = rt.run("review", Map.of("change", "a fix"));
    }

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(tokens).hasSizeGreaterThan(1);
    assertThat(String.join("", tokens.stream().map(RunEvent.LlmToken::text).toList()))
        .isEqualTo("{\"verdict\":\"approve\"}");
    assertThat(m.calls()).isEqualTo(2);
  }

  @Test
  void streamingOnlyModel_servesAgentWithoutStream() {
    ScriptedModel m = toolThenAnswer();

    RunResult r = run(m.streaming());

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("approve");
    assertThat(m.calls()).isEqualTo(2);
  }

  @Test
  void offScript_failsTheStepWithTheScriptedMessage() {
    ScriptedModel m = ScriptedModel.builder().toolCall("echo", "{\"text\":\"x\"}").build();

    RunResult r = run(m);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains("ScriptedModel: the conversation went off script: the runtime asked for turn 2");
  }
}
