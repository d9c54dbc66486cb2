package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording a run's LLM calls to a {@code scripted} script and replaying it offline. */
class ScriptRecorderTest {
  @TempDir Path dir;
  Path c;
  StubOpenAi stub;
  EchoTool echo = new EchoTool();

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubOpenAi();
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-test\n"
            + "    api_key: sk-test\n"
            + "    base_url: "
            + stub.baseUrl()
            + "\n"
            + "    pricing: {input_per_mtok: 2.0, output_per_mtok: 10.0}\n");
    Files.writeString(c.resolve("prompts/reviewer.md"), "Review {{input.change}}.");
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        "name: reviewer\nmodel: default\nsystem: prompts/reviewer.md\n"
            + "tools: [echo]\n"
            + "output: {schema: {type: object, required: [verdict], properties: {verdict: {enum: [approve, revise]}}}}\n");
    Files.writeString(
        c.resolve("workflows/review.yml"),
        "id: review\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: review, kind: agent, agent: reviewer}\n"
            + "  - {id: note, kind: transform, template: \"verdict {{review.verdict}}\"}\n"
            + "  - {id: done, role: exit, output: {review: \"{{review}}\", note: \"{{note}}\"}}\n"
            + "edges:\n"
            + "  - {from: start, to: review}\n"
            + "  - {from: review, to: note}\n"
            + "  - {from: note, to: done}\n");
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  record Run(RunResult result, List<CallRecord> calls) {}

  Run run() {
    try (CheckpointStore store = CheckpointStore.inMemory(10);
        AgentRuntime rt =
            AgentRuntime.builder().configDir(c).tool(echo).checkpointStore(store).build()) {
      RunResult r = rt.run("review", Map.of("change", "a fix"));
      return new Run(r, store.calls(r.runId()));
    }
  }

  static List<String> log(RunResult r) {
    return r.steps().stream().map(ScriptRecorderTest::line).toList();
  }

  static String line(StepResult s) {
    return s.key() + " " + s.nodeId() + " " + s.status() + " " + s.output();
  }

  @Test
  void toYaml_runAgainstOpenAi_replayedByScriptedProviderGivesSameStepLogOutputAndUsage()
      throws IOException {
    stub.toolCalls(
        20,
        10,
        new String[] {"call_a", "echo", "{\"text\":\"one\"}"},
        new String[] {"call_b", "echo", "{\"text\":\"two\\nlines\"}"});
    stub.answer("looks fine", 40, 5);
    stub.answer("{\"verdict\": \"approve\"}", 60, 7);
    Run recorded = run();
    assertThat(recorded.result().status())
        .as(String.valueOf(recorded.result().message()))
        .isEqualTo(RunStatus.COMPLETED);

    String script = ScriptRecorder.toYaml(recorded.calls());
    Files.writeString(c.resolve("scripts/recorded.yml"), script);
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  default:\n    provider: scripted\n"
            + "    script: scripts/recorded.yml\n    pricing: {input_per_mtok: 2.0, output_per_mtok: 10.0}\n");
    Run replayed = run();

    assertThat(replayed.result().status())
        .as(String.valueOf(replayed.result().message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(log(replayed.result())).isEqualTo(log(recorded.result())).hasSize(4);
    assertThat(replayed.result().output()).isEqualTo(recorded.result().output());
    assertThat(replayed.result().output().path("note").asText()).isEqualTo("verdict approve");
    assertThat(replayed.result().usage().inputTokens()).isEqualTo(120);
    assertThat(replayed.result().usage().outputTokens()).isEqualTo(22);
    assertThat(replayed.result().usage().costUsd()).isEqualTo(recorded.result().usage().costUsd());
    assertThat(replayed.calls())
        .extracting(c -> c.kind().wireName())
        .containsExactly("llm", "tool", "tool", "llm", "llm");
    assertThat(stub.requestCount()).as("the replay is offline").isEqualTo(3);
    assertThat(echo.calls.get()).isEqualTo(4);
    assertThat(script)
        .startsWith(
            "# recorded by agentrt from run "
                + recorded.result().runId()
                + ", step review#0, "
                + "model 'default'\n")
        .contains("expect_tool_results")
        .contains("echo:two\\nlines");
  }

  @Test
  void toYaml_replayedScriptWithChangedToolResult_goesOffScript() throws IOException {
    stub.toolCalls(1, 1, new String[] {"call_a", "echo", "{\"text\":\"one\"}"});
    stub.answer("{\"verdict\": \"revise\"}", 2, 2);
    Run recorded = run();
    Files.writeString(
        c.resolve("scripts/recorded.yml"),
        ScriptRecorder.toYaml(recorded.calls(), "default").replace("echo:one", "echo:uno"));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  default: {provider: scripted, script: scripts/recorded.yml}\n");

    RunResult r = run().result();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains("turn 2: the conversation went off script")
        .contains("- echo: echo:uno\n+ echo: echo:one");
  }

  @Test
  void portable_machineDependentFieldsOfBuiltInTools_leftOut() {
    assertThat(
            ScriptRecorder.portable(
                    "grep",
                    "{\"matches\":[{\"path\":\"A.java\",\"line\":1,\"text\":\"x\"}],"
                        + "\"truncated\":false,\"engine\":\"ripgrep\"}")
                .toString())
        .isEqualTo(
            "{\"matches\":[{\"path\":\"A.java\",\"line\":1,\"text\":\"x\"}],\"truncated\":false}");
    assertThat(
            ScriptRecorder.portable("tests.run", "{\"exit_code\":0,\"output_tail\":\"Time: 0.3s\"}")
                .toString())
        .isEqualTo("{\"exit_code\":0}");
    assertThat(ScriptRecorder.portable("echo", "{\"engine\":\"v8\"}").toString())
        .as("another tool's fields are all compared")
        .isEqualTo("{\"engine\":\"v8\"}");
    assertThat(ScriptRecorder.portable("echo", "echo:one").asText()).isEqualTo("echo:one");
  }

  static CallRecord llm(String step, int index, String model, int assistants) {
    ObjectNode req = StubOpenAi.JSON.createObjectNode();
    var ms = req.putArray("messages");
    ms.addObject().put("role", "user").put("text", "hi");
    for (int i = 0; i < assistants; i++)
      ms.addObject().put("role", "assistant").put("text", "a" + i);
    JsonNode resp = StubOpenAi.JSON.createObjectNode().put("text", "answer");
    return new CallRecord(
        "r1",
        step,
        index,
        CallKind.LLM,
        model,
        "h",
        req,
        resp,
        BudgetUsage.ZERO,
        Instant.EPOCH,
        Duration.ZERO);
  }

  static CallRecord tool(String step, int index) {
    return new CallRecord(
        "r1",
        step,
        index,
        CallKind.TOOL,
        "echo",
        "h",
        NullNode.getInstance(),
        NullNode.getInstance(),
        BudgetUsage.ZERO,
        Instant.EPOCH,
        Duration.ZERO);
  }

  @Test
  void toYaml_noLlmCall_failsSayingSo() {
    assertThatThrownBy(() -> ScriptRecorder.toYaml(List.of(tool("a#0", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the run made no LLM call: there is nothing to record");
  }

  @Test
  void toYaml_severalModels_failsNamingThem() {
    List<CallRecord> calls =
        List.of(llm("a#0", 0, "fast", 0), llm("b#0", 0, "smart", 0), llm("c#0", 0, "fast", 0));
    assertThat(ScriptRecorder.models(calls)).containsExactly("fast", "smart");
    assertThatThrownBy(() -> ScriptRecorder.toYaml(calls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the run used 2 models ('fast', 'smart'); a script replays one model: record one with "
                + "ScriptRecorder.toYaml(calls, modelKey)");
  }

  @Test
  void toYaml_modelCalledInSeveralSteps_failsNamingThem() {
    List<CallRecord> calls = List.of(llm("a#0", 0, "fast", 0), llm("a#1", 0, "fast", 0));
    assertThatThrownBy(() -> ScriptRecorder.toYaml(calls, "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model 'fast' was called in 2 agent steps (a#0, a#1); a script replays one conversation (every "
                + "step starts again at turn 1)");
  }

  @Test
  void toYaml_callNotContinuingTheConversation_failsNamingStepAndCall() {
    List<CallRecord> calls = List.of(llm("a#0", 0, "fast", 0), llm("a#0", 1, "fast", 0));
    assertThatThrownBy(() -> ScriptRecorder.toYaml(calls, "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model 'fast': step a#0: call 1: does not continue the conversation (it sends 0 assistant turns, "
                + "the script has 1); a script replays one conversation");
  }

  @Test
  void toYaml_modelNotCalled_failsNamingIt() {
    assertThatThrownBy(() -> ScriptRecorder.toYaml(List.of(llm("a#0", 0, "fast", 0)), "smart"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the run made no LLM call to model 'smart': there is nothing to record");
  }
}
