package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.CallKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end workflows with a {@code kind: agent} node on the {@code scripted} provider. */
class ScriptedAgentTest {
  @TempDir Path dir;
  Path c;
  RecordingStore store = new RecordingStore();
  EchoTool echo = new EchoTool();

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline:\n    provider: scripted\n    script: scripts/review.yml\n");
    Files.writeString(c.resolve("prompts/reviewer.md"), "Review {{input.change}}.");
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        "name: reviewer\nmodel: offline\nsystem: prompts/reviewer.md\n"
            + "tools: [echo]\n"
            + "output: {schema: {type: object, required: [verdict], properties: {verdict: {enum: [approve, revise]}}}}\n");
    Files.writeString(
        c.resolve("workflows/review.yml"),
        "id: review\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: review, kind: agent, agent: reviewer, role: decision, route: verdict}\n"
            + "  - {id: ok, kind: transform, template: approved}\n"
            + "  - {id: again, kind: transform, template: revised}\n"
            + "  - {id: done, role: exit, output: {review: \"{{review}}\"}}\n"
            + "edges:\n"
            + "  - {from: start, to: review}\n"
            + "  - {from: review, to: ok, when: approve}\n"
            + "  - {from: review, to: again, when: revise}\n"
            + "  - {from: ok, to: done}\n"
            + "  - {from: again, to: done}\n");
  }

  @AfterEach
  void tearDown() {
    store.delegate.close();
  }

  void script(String yaml) throws IOException {
    Files.writeString(c.resolve("scripts/review.yml"), yaml);
  }

  RunResult run() {
    try (AgentRuntime rt =
        AgentRuntime.builder().configDir(c).tool(echo).checkpointStore(store).build()) {
      return rt.run("review", Map.of("change", "a fix"));
    }
  }

  @Test
  void run_scriptedAgentCallsToolThenAnswers_routesOnSchemaAnswer() throws IOException {
    script(
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: diff}}]\n"
            + "    usage: {input_tokens: 10, output_tokens: 4}\n"
            + "  - expect_tool_results: [{name: echo, content: 'echo:diff'}]\n"
            + "    text: '{\"verdict\": \"approve\"}'\n"
            + "    usage: {input_tokens: 20, output_tokens: 6}\n");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("approve");
    assertThat(
            r.step("ok#0")
                .or(() -> r.steps().stream().filter(s -> s.nodeId().equals("ok")).findFirst()))
        .isPresent();
    assertThat(echo.calls.get()).isEqualTo(1);
    assertThat(r.usage().inputTokens()).isEqualTo(30);
    assertThat(r.usage().llmCalls()).isEqualTo(2);
    assertThat(store.calls)
        .extracting(c -> c.kind().wireName())
        .containsExactly("llm", "tool", "llm");
  }

  @Test
  void run_streamTrue_streamsTextInPiecesWithSameOutputAndRecords() throws IOException {
    script(
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: diff}}]\n"
            + "    usage: {input_tokens: 10, output_tokens: 4}\n"
            + "  - text: '{\"verdict\": \"approve\"}'\n"
            + "    usage: {input_tokens: 20, output_tokens: 6}\n");
    RunResult plain = run();
    List<String> plainCalls = StreamingAgentTest.comparable(store.calls);
    store.calls.clear();
    Path agent = c.resolve("agents/reviewer.yml");
    Files.writeString(agent, Files.readString(agent) + "stream: true\n");
    List<dev.agentrt.core.event.RunEvent.LlmToken> tokens =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    RunResult streamed;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(echo)
            .checkpointStore(store)
            .listener(
                new dev.agentrt.core.spi.RunListener() {
                  @Override
                  public void llmToken(dev.agentrt.core.event.RunEvent.LlmToken e) {
                    tokens.add(e);
                  }
                })
            .build()) {
      streamed = rt.run("review", Map.of("change", "a fix"));
    }

    assertThat(streamed.status())
        .as(String.valueOf(streamed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(streamed.output()).isEqualTo(plain.output());
    assertThat(tokens).hasSize(3).allMatch(t -> t.index() == 2 && t.stepKey().equals("review#0"));
    assertThat(
            tokens.stream()
                .map(dev.agentrt.core.event.RunEvent.LlmToken::text)
                .reduce("", String::concat))
        .isEqualTo("{\"verdict\": \"approve\"}");
    assertThat(StreamingAgentTest.comparable(store.calls)).isEqualTo(plainCalls);
    assertThat(streamed.usage().inputTokens()).isEqualTo(plain.usage().inputTokens()).isEqualTo(30);
  }

  @Test
  void run_conversations_answersFromTheFirstWhoseWhenOccurs() throws IOException {
    script(
        "conversations:\n"
            + "  - when: 'Review another change'\n"
            + "    turns: [{text: '{\"verdict\": \"revise\"}'}]\n"
            + "  - when: 'Review a fix'\n"
            + "    turns:\n"
            + "      - tool_calls: [{name: echo, arguments: {text: diff}}]\n"
            + "      - text: '{\"verdict\": \"approve\"}'\n"
            + "  - turns: [{text: '{\"verdict\": \"revise\"}'}]\n");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("approve");
    assertThat(echo.calls.get()).isEqualTo(1);
  }

  @Test
  void run_conversationsNoneMatches_failsNamingTheWhens() throws IOException {
    script("conversations:\n  - when: 'round 7'\n    turns: [{text: x}]\n");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "scripts/review.yml: the conversation went off script: no conversation's 'when' "
                + "('round 7') occurs in the system or user message\n+ system and user message sent: Review a fix.");
  }

  @Test
  void run_toolResultDiffersFromScript_failsWithDiff() throws IOException {
    script(
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: diff}}]\n"
            + "  - expect_tool_results: [{name: echo, content: 'echo:other'}]\n"
            + "    text: '{\"verdict\": \"approve\"}'\n");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "node 'review': agent 'reviewer': model 'offline': scripts/review.yml: turn 2: the "
                + "conversation went off script: the tool results sent differ from the script\n"
                + "- echo: echo:other\n"
                + "+ echo: echo:diff\n"
                + "(- expected by the script, + sent by the runtime; fix the script or the tool)");
  }

  @Test
  void run_moreTurnsThanScripted_failsNamingTurn() throws IOException {
    script("turns:\n  - tool_calls: [{name: echo, arguments: {text: a}}]\n");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "scripts/review.yml: the conversation went off script: the runtime asked for turn 2"
                + " but the script has 1 turn\n+ last message sent: tool result echo: echo:a");
  }

  @Test
  void run_answerNotMatchingSchema_repairedInOneRound() throws IOException {
    script(
        "turns:\n"
            + "  - text: 'looks fine'\n"
            + "  - text: '```json\n{\"verdict\": \"revise\"}\n```'\n");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("revise");
    assertThat(store.calls.get(1).request().path("messages").get(3).path("text").asText())
        .startsWith(
            "Your answer does not match the required JSON schema: the answer is not JSON: ");
  }

  @Test
  void run_answerStillInvalidAfterRepair_fails() throws IOException {
    script(
        "turns:\n  - text: '{\"verdict\": \"maybe\"}'\n  - text: '{\"verdict\": \"perhaps\"}'\n");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "node 'review': agent 'reviewer': the answer does not match output.schema after one "
                + "repair round: /verdict: does not have a value in the enumeration [\"approve\", \"revise\"]");
  }

  @Test
  void run_runawayToolLoop_stoppedByMaxLlmCalls() throws IOException {
    StringBuilder sb = new StringBuilder("turns:\n");
    for (int i = 0; i < 8; i++)
      sb.append("  - tool_calls: [{name: echo, arguments: {text: t").append(i).append("}}]\n");
    script(sb.toString());
    String wf = Files.readString(c.resolve("workflows/review.yml"));
    Files.writeString(
        c.resolve("workflows/review.yml"),
        wf.replace("nodes:\n", "budget: {max_llm_calls: 3}\nnodes:\n"));

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(store.calls.stream().filter(x -> x.kind() == CallKind.LLM).count()).isEqualTo(3);
  }

  void runawayScript(int turns) throws IOException {
    StringBuilder sb = new StringBuilder("turns:\n");
    for (int i = 0; i < turns; i++) {
      sb.append("  - tool_calls: [{name: echo, arguments: {text: t")
          .append(i)
          .append("}}]\n")
          .append("    usage: {input_tokens: 10, output_tokens: 5}\n");
    }
    script(sb.toString());
  }

  void agentBudget(String budget) throws IOException {
    Path agent = c.resolve("agents/reviewer.yml");
    Files.writeString(agent, Files.readString(agent) + "budget: " + budget + "\n");
  }

  void runBudget(String budget) throws IOException {
    String wf = Files.readString(c.resolve("workflows/review.yml"));
    Files.writeString(
        c.resolve("workflows/review.yml"),
        wf.replace("nodes:\n", "budget: " + budget + "\nnodes:\n"));
  }

  long llmCalls() {
    return store.calls.stream().filter(x -> x.kind() == CallKind.LLM).count();
  }

  @Test
  void run_runawayToolLoop_stoppedByAgentMaxLlmCalls() throws IOException {
    runawayScript(8);
    agentBudget("{max_llm_calls: 3}");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains(
            "agent 'reviewer' budget max_llm_calls exceeded: 3 LLM calls made (max_llm_calls: 3)"
                + " in one execution (agents/reviewer.yml budget:)");
    assertThat(llmCalls()).isEqualTo(3);
    assertThat(echo.calls.get()).isEqualTo(3);
    assertThat(r.usage().llmCalls()).isEqualTo(3);
  }

  @Test
  void run_runawayToolLoop_stoppedByAgentMaxToolCalls() throws IOException {
    runawayScript(8);
    agentBudget("{max_tool_calls: 2}");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains(
            "agent 'reviewer' budget max_tool_calls exceeded: 2 tool calls made"
                + " (max_tool_calls: 2) in one execution");
    assertThat(echo.calls.get()).isEqualTo(2);
    assertThat(llmCalls()).isEqualTo(3);
  }

  @Test
  void run_runawayToolLoop_stoppedByAgentMaxTokens() throws IOException {
    runawayScript(8);
    agentBudget("{max_tokens: 30}");

    RunResult r = run();

    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains("agent 'reviewer' budget max_tokens exceeded: 30 tokens used (max_tokens: 30)");
    assertThat(llmCalls()).isEqualTo(2);
  }

  @Test
  void run_agentBudgetLooserThanRunBudget_runBudgetStillStops() throws IOException {
    runawayScript(8);
    agentBudget("{max_llm_calls: 6, max_tool_calls: 6}");
    runBudget("{max_llm_calls: 2}");

    RunResult r = run();

    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains("budget max_llm_calls exceeded: 2 LLM calls made (max_llm_calls: 2)")
        .doesNotContain("agent 'reviewer' budget");
    assertThat(llmCalls()).isEqualTo(2);
  }

  @Test
  void run_agentBudgetNotReached_completes() throws IOException {
    script(
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: diff}}]\n"
            + "  - text: '{\"verdict\": \"approve\"}'\n");
    agentBudget(
        "{max_llm_calls: 2, max_tool_calls: 1, max_tokens: 1000, max_cost_usd: 1, max_duration: PT1M}");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void run_toolRoundsExhausted_failsNamingBound() throws IOException {
    StringBuilder sb = new StringBuilder("turns:\n");
    for (int i = 0; i < 4; i++)
      sb.append("  - tool_calls: [{name: echo, arguments: {text: t").append(i).append("}}]\n");
    script(sb.toString());
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        Files.readString(c.resolve("agents/reviewer.yml")) + "max_tool_rounds: 2\n");

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "node 'review': agent 'reviewer': no final answer after max_tool_rounds 2 tool rounds");
    assertThat(echo.calls.get()).isEqualTo(2);
  }

  @Test
  void load_unknownProvider_reportsKnownProviders() throws IOException {
    Files.writeString(c.resolve("config.yml"), "models:\n  offline:\n    provider: scriptd\n");

    assertThatThrownBy(this::run)
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "node 'review': agent 'reviewer': model 'offline': unknown provider 'scriptd' (known "
                + "providers: anthropic, ollama, openai, scripted)");
  }

  @Test
  void load_scriptFileMissing_reportsModelSetting() throws IOException {
    assertThatThrownBy(this::run)
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "node 'review': agent 'reviewer': models.offline.script: file 'scripts/review.yml' does "
                + "not exist (paths are relative to ");
  }
}
