package dev.agentrt.testkit;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.llm.ScriptedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The extension on a configuration whose only model is a real provider with no key: every test runs
 * offline because the model is replaced, by a {@link TestModel} field or a {@link Script}.
 */
@AgentTest(
    config = "src/test/resources/review-agent",
    workspace = "src/test/resources/review-workspace")
class AgentTestExtensionTest {
  static final Path SOURCE = Path.of("src/test/resources/review-agent");

  @TestModel("default")
  ScriptedModel reviewer =
      ScriptedModel.builder()
          .toolCall("fs.read", Map.of("path", "NOTES.md"))
          .usage(10, 2)
          .answer("{\"verdict\": \"approve\", \"comments\": \"clear\"}")
          .usage(20, 4)
          .build();

  @Test
  void injectedRuntime_runsOnTheTestModel_throughTheRealToolBus(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThat(r)
        .isCompleted()
        .hasStepKeys("start#0", "review#0", "done#0")
        .hasStepKeysInOrder("start#0", "done#0")
        .hasOutputAt("verdict", "approve")
        .hasOutputAtContaining("comments", "clea")
        .hasOutputAtMatching("comments", "^c.*r$")
        .hasLlmCalls(2)
        .hasTokensAtMost(36)
        .madeToolCalls("fs.read")
        .madeToolCall("fs.read", Map.of("path", "NOTES.md"))
        .madeNoToolCall("fs.write");
    // pricing of the replaced entry applies: 30 input tokens at $1/token, 6 output at $2/token
    assertThat(r).hasCostAtMost(42.0);
    assertThat(r.usage().costUsd()).isEqualTo(42.0);
    assertThat(reviewer.calls()).isEqualTo(2);
  }

  @Test
  void clockIsFixed_andWorkspaceAndConfigAreCopies(AgentTestContext ctx) throws IOException {
    RunResult r = ctx.runtime().run("review", Map.of("file", "NOTES.md"));

    assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(ctx.workspace().resolve("NOTES.md")).exists();
    assertThat(ctx.workspace()).isNotEqualTo(Path.of("src/test/resources/review-workspace"));
    assertThat(ctx.configDir().resolve("config.yml")).content().contains("store: memory");
    assertThat(SOURCE.resolve("config.yml"))
        .content()
        .as("the source configuration is untouched")
        .contains("store: sqlite, path: var/never-used.db");
    assertThat(SOURCE.resolve("var")).doesNotExist();
    assertThat(Files.readString(ctx.configDir().resolve("config.yml")))
        .contains(ctx.workspace().toString());
  }

  @Test
  @Script(model = "default", file = "scripts/revise.yml")
  void scriptOnTheMethod_winsOverTheField(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThat(r).isCompleted().hasOutputAt("verdict", "revise").madeToolCall("fs.read");
    assertThat(reviewer.calls()).isZero();
  }

  @Test
  void failedAssertions_sayWhatTheRunDid(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThatThrownBy(() -> assertThat(r).hasStepKeys("start#0", "done#0"))
        .hasMessageContaining("expected the steps")
        .hasMessageContaining("start#0, review#0, done#0");
    assertThatThrownBy(() -> assertThat(r).hasStepKeysInOrder("done#0", "start#0"))
        .hasMessageContaining("step start#0 is out of order");
    assertThatThrownBy(() -> assertThat(r).hasOutputAt("verdict", "revise"))
        .hasMessageContaining("expected the output at 'verdict' to be")
        .hasMessageContaining("\"approve\"");
    assertThatThrownBy(() -> assertThat(r).hasOutputAt("nope.deeper", 1))
        .hasMessageContaining("the output has no such path");
    assertThatThrownBy(() -> assertThat(r).madeToolCall("fs.read", Map.of("path", "OTHER.md")))
        .hasMessageContaining("{\"path\":\"NOTES.md\"}");
    assertThatThrownBy(() -> assertThat(r).madeToolCall("grep"))
        .hasMessageContaining("expected a call of tool 'grep' but the run made")
        .hasMessageContaining("fs.read");
    assertThatThrownBy(() -> assertThat(r).hasLlmCallsAtMost(1))
        .hasMessageContaining("at most 1 LLM calls but the run made 2");
    assertThatThrownBy(() -> assertThat(r).hasCostAtMost(1.0)).hasMessageContaining("$42.0");
    assertThatThrownBy(() -> assertThat(r).hasStatus(RunStatus.WAITING))
        .hasMessageContaining("to be WAITING but it is COMPLETED");
  }

  @Test
  @Script(model = "default", file = "scripts/no-comments.yml")
  void aFailedRun_saysWhy(AgentRuntime rt) {
    RunResult r = rt.run("review", Map.of("file", "NOTES.md"));

    assertThatThrownBy(() -> assertThat(r).isCompleted())
        .hasMessageContaining("but it is FAILED (INVALID_OUTPUT at step done#0:")
        .hasMessageContaining("template path 'review.comments' is not in state");
  }
}
