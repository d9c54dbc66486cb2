package com.example;

import static dev.agentrt.testkit.AgentAssertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.llm.ScriptedModel;
import dev.agentrt.testkit.AgentTest;
import dev.agentrt.testkit.Script;
import dev.agentrt.testkit.TestModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

@AgentTest(
    config = "src/test/resources/review-agent",
    workspace = "src/test/resources/review-workspace")
class ReviewAgentTest {

  // replaces models.default of config.yml (a real provider) for every test of the class
  @TestModel("default")
  ScriptedModel reviewer =
      ScriptedModel.builder()
          .toolCall("fs.read", Map.of("path", "NOTES.md"))
          .answer("{\"verdict\": \"approve\", \"comments\": \"clear and short\"}")
          .build();

  @Test
  void approvesClearNotes(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThat(r)
        .isCompleted()
        .hasStepKeys("start#0", "review#0", "done#0")
        .hasOutputAt("verdict", "approve")
        .madeToolCall("fs.read", Map.of("path", "NOTES.md"))
        .hasLlmCallsAtMost(2);
  }

  @Test
  @Script(model = "default", file = "scripts/revise.yml") // a conversation kept as a file
  void asksForARevision(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThat(r).isCompleted().hasOutputAt("verdict", "revise");
  }
}
