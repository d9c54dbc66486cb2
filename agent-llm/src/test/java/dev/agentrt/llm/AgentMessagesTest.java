package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
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
 * Agent-to-agent messages ({@code send_message}) between two scripted agents in a bounded review
 * loop.
 */
class AgentMessagesTest {
  @TempDir Path dir;
  Path c;
  RecordingStore store = new RecordingStore();

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  eng: {provider: scripted, script: scripts/engineer.yml}\n"
            + "  rev: {provider: scripted, script: scripts/reviewer.yml}\n");
    Files.writeString(c.resolve("prompts/engineer.md"), "Implement {{input.change}}.");
    Files.writeString(
        c.resolve("agents/engineer.yml"),
        "name: engineer\nmodel: eng\nsystem: prompts/engineer.md\n");
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        "name: reviewer\nmodel: rev\n"
            + "output: {schema: {type: object, required: [verdict], properties: {verdict: {enum: [approve, revise]}}}}\n");
    Files.writeString(
        c.resolve("workflows/build.yml"),
        "id: build\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: implement, kind: agent, agent: engineer, input: {change: input.change}}\n"
            + "  - {id: review, kind: agent, agent: reviewer, role: decision, route: verdict, input: {code: implement}}\n"
            + "  - {id: done, role: exit, output: {code: \"{{implement}}\", review: \"{{review}}\"}}\n"
            + "edges:\n"
            + "  - {from: start, to: implement}\n"
            + "  - {from: implement, to: review}\n"
            + "  - {from: review, to: done, when: approve}\n"
            + "  - {from: review, to: implement, when: revise, loop: {max: 1, exhausted: done}}\n");
    Files.writeString(c.resolve("scripts/engineer.yml"), "turns:\n  - text: patch\n");
  }

  @AfterEach
  void tearDown() {
    store.delegate.close();
  }

  RunResult run() {
    try (AgentRuntime rt = AgentRuntime.builder().configDir(c).checkpointStore(store).build()) {
      return rt.run("build", Map.of("change", "a fix"));
    }
  }

  List<CallRecord> calls(String kind, String name) {
    return store.calls.stream()
        .filter(x -> x.kind().wireName().equals(kind) && x.name().equals(name))
        .toList();
  }

  static String userText(CallRecord llm) {
    for (JsonNode m : llm.request().path("messages"))
      if (m.path("role").asText().equals("user")) return m.path("text").asText();
    throw new AssertionError("no user message in " + llm.request());
  }

  @Test
  void run_reviewerSendsMessage_engineerGetsItInNextIterationContext() throws IOException {
    Files.writeString(
        c.resolve("scripts/reviewer.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: send_message, arguments: {to: engineer, text: add a test}}]\n"
            + "  - expect_tool_results: [{name: send_message, content: 'message sent to engineer'}]\n"
            + "    text: '{\"verdict\": \"revise\"}'\n");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    List<CallRecord> engineer = calls("llm", "eng");
    assertThat(engineer).extracting(CallRecord::stepKey).hasSize(2).doesNotHaveDuplicates();
    assertThat(userText(engineer.get(0)))
        .doesNotContain("add a test")
        .doesNotContain("Messages from other agents");
    assertThat(userText(engineer.get(1)))
        .endsWith(
            "\n\nMessages from other agents (oldest first):\n" + "- from reviewer: add a test");
    // the loop status is in the context too, so the agent can converge as iterations run out
    assertThat(userText(engineer.get(0))).contains("\n\nLoops in this workflow:\n- ");
    assertThat(userText(engineer.get(0))).containsPattern(": iteration 0 of 1 \\(1 remaining\\)");
    assertThat(userText(engineer.get(1))).containsPattern(": iteration 1 of 1 \\(0 remaining\\)");
    // offered to both agents, addressed to the other one
    assertThat(engineer.get(0).request().path("tools").findValuesAsText("name"))
        .contains("send_message");
    assertThat(engineer.get(0).request().path("tools").toString())
        .contains("\"enum\":[\"reviewer\"]");
    // recorded with the step, and the node output stays the answer (plus $messages when some were
    // sent)
    List<CallRecord> messages = calls("message", "send_message");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).request())
        .hasToString("{\"from\":\"reviewer\",\"to\":\"engineer\",\"text\":\"add a test\"}");
    assertThat(messages.get(0).stepKey()).startsWith("review");
    assertThat(r.output().path("code").asText()).isEqualTo("patch");
    assertThat(r.output().path("review").path("verdict").asText()).isEqualTo("revise");
    assertThat(r.output().path("review").path("$messages").get(0).path("text").asText())
        .isEqualTo("add a test");
    assertThat(r.output().path("review").path("$messages").get(0).path("to").asText())
        .isEqualTo("engineer");
  }

  @Test
  void run_messageToUnknownAgent_toolErrorListsAgents() throws IOException {
    Files.writeString(
        c.resolve("scripts/reviewer.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: send_message, arguments: {to: tester, text: add a test}}]\n"
            + "  - expect_tool_results: [{name: send_message, content: \"error (invalid_arguments): send_message: unknown"
            + " agent 'tester' (agents: engineer)\"}]\n"
            + "    text: '{\"verdict\": \"approve\"}'\n");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("review").has("$messages")).isFalse();
    assertThat(calls("message", "send_message"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.response().path("error").asText()).contains("unknown agent 'tester'"));
    assertThat(calls("llm", "eng")).hasSize(1);
  }
}
