package dev.agentrt.testkit;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.llm.ScriptedModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TestStore#SQLITE}: runs outlive the runtime, in the test's temporary directory. */
@AgentTest(config = "src/test/resources/review-agent", store = TestStore.SQLITE)
class SqliteStoreTest {
  @TestModel("default")
  static final ScriptedModel REVIEWER =
      ScriptedModel.builder().answer("{\"verdict\": \"approve\", \"comments\": \"ok\"}").build();

  @Test
  void aSecondRuntime_seesTheRunsOfTheFirst_andReplaysWithoutCallingTheModel(AgentTestContext ctx) {
    RunResult r = ctx.runtime().run("review", Map.of("file", "NOTES.md"));
    ctx.runtime().close();
    long calls = REVIEWER.calls();

    AgentRuntime second = ctx.newRuntime();
    RunResult replayed = second.replay(r.runId());

    assertThat(ctx.configDir().resolve("config.yml")).content().contains("store: sqlite");
    assertThat(replayed).isCompleted().hasOutputAt("verdict", "approve");
    assertThat(REVIEWER.calls()).isEqualTo(calls);
    assertThat(second.checkpointStore().calls(r.runId())).hasSize(1);
  }
}
