package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.testkit.AgentTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the workflows of the repository's own {@code .agent/} directory, as README's main command
 * does, on runtimes the testkit wires ({@code @AgentTest}: a copy of the configuration, runs in
 * memory).
 */
@AgentTest(config = "../.agent")
class ProjectWorkflowsTest {

  @Test
  void hello_greetsTheName(AgentRuntime rt) {
    RunResult r = rt.run("hello", Map.of("name", "Ada"));

    assertThat(r).isCompleted().hasStepKeys("start#0", "greet#0", "done#0");
    assertThat(r.output().toString()).isEqualTo("{\"greeting\":\"Hello, Ada!\"}");
  }

  @Test
  void releaseNotes_bug_runsHotfixBranchSplitAndTwoRevisions(AgentRuntime rt) throws Exception {
    {
      RunResult r =
          rt.run(
              "release-notes",
              Map.of(
                  "title",
                  "Faster startup",
                  "kind",
                  "bug",
                  "changes",
                  List.of("lazy validator", "smaller jar")));

      assertThat(r)
          .isCompleted()
          .hasStepKeys(
              "start#0",
              "classify#0",
              "hotfix#0",
              "fanout#0",
              "fanout#0[summary]/summary#0",
              "fanout#0[labels]/labels#0",
              "joined#0",
              "each_change#0",
              "each_change#0[0]/render#0",
              "each_change#0[1]/render#0",
              "rendered#0",
              "draft#0",
              "review#0",
              "draft#1",
              "review#1",
              "draft#2",
              "review#2",
              "done#0");
      JsonNode expected =
          new ObjectMapper()
              .readTree(
                  """
          {"notes": {"title": "Faster startup (bug)", "labels": ["bug", "release-notes"],
                     "lines": ["0. lazy validator", "1. smaller jar"], "revision": 2},
           "reviews": {"iteration": 2, "max": 2, "remaining": 0}}""");
      assertThat(r.output()).isEqualTo(expected);
    }
  }

  @Test
  void releaseNotes_feature_skipsHotfix(AgentRuntime rt) {
    {
      RunResult r =
          rt.run(
              "release-notes",
              Map.of("title", "Dark mode", "kind", "feature", "changes", List.of("ui")));

      assertThat(r).isCompleted().hasStepKeysInOrder("start#0", "fanout#0", "done#0");
      assertThat(r.steps())
          .extracting(StepResult::key)
          .doesNotContain("hotfix#0")
          .contains("fanout#0");
    }
  }
}
