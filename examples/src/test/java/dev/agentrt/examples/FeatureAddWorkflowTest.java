package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the repository's {@code .agent/workflows/feature-add.yml} offline (scripted engineer and
 * reviewer) against a temporary copy of a small Java project whose test fails: the engineer fixes
 * the bug, the reviewer asks for one revision, then {@code tests.run} really compiles and runs the
 * project's tests ({@code java RunTests.java}, the JDK's single-file launcher; no build tool, no
 * network).
 */
class FeatureAddWorkflowTest {
  static final Path AGENT = Path.of("../.agent");
  static final Path PROJECT = Path.of("src/test/resources/feature-add-project");
  static final String CALCULATOR = "src/main/java/demo/Calculator.java";

  @TempDir Path tmp;
  Path project;

  /**
   * A runtime on a copy of .agent/ (plus a workflow that only runs the tests) whose workspace is a
   * copy of the fixture project, wired by the testkit.
   */
  AgentRuntime runtime() throws IOException {
    Path config = JavaProjects.copyTree(AGENT, tmp.resolve("agent-source"));
    Files.writeString(
        config.resolve("workflows/tests-only.yml"),
        "id: tests-only\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: tests, kind: tool, tool: tests.run}\n"
            + "  - {id: done, role: exit, output: \"{{tests}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: tests}\n"
            + "  - {from: tests, to: done}\n");
    AgentRuntime rt = JavaProjects.runtime(config, tmp, PROJECT, false);
    project = JavaProjects.workspace(rt);
    return rt;
  }

  @Test
  void testsOnly_beforeTheFix_reportTheFailingTest() throws IOException {
    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("tests-only", Map.of());

      assertThat(r).isCompleted().madeToolCalls("tests.run");
      JsonNode t = r.output();
      assertThat(t.path("exit_code").asInt()).as(t.toString()).isEqualTo(1);
      assertThat(t.path("total").asInt()).isEqualTo(2);
      assertThat(t.path("passed").asInt()).isEqualTo(1);
      assertThat(t.path("failed").asInt()).isEqualTo(1);
      JsonNode f = t.path("failures").path(0);
      assertThat(f.path("class").asText()).isEqualTo("demo.CalculatorTest");
      assertThat(f.path("name").asText()).isEqualTo("max_returnsTheLarger");
      assertThat(f.path("message").asText()).isEqualTo("expected: <5> but was: <3>");
      assertThat(f.path("location").asText()).isEqualTo("CalculatorTest.java:13");
    }
  }

  @Test
  void featureAdd_engineerFixesReviewerAsksOneRevision_testsPass() throws IOException {
    RunResult before;
    RunResult r;
    try (AgentRuntime rt = runtime()) {
      before = rt.run("tests-only", Map.of());
      r =
          rt.run(
              "feature-add",
              Map.of(
                  "request",
                  "Calculator.max returns the smaller number; make it return the larger."));
    }

    assertThat(before.output().path("failed").asInt())
        .as("the test fails before the fix")
        .isEqualTo(1);
    assertThat(r)
        .isCompleted()
        .hasStepKeys(
            "start#0", "implement#0", "review#0", "implement#1", "review#1", "tests#0", "done#0")
        .hasLlmCalls(9)
        .madeToolCall("tests.run")
        .hasOutputAt("review.verdict", "approve")
        .hasOutputAtContaining("summary", "as the review asked");
    assertThat(r.step("review#0").orElseThrow().output().path("verdict").asText())
        .isEqualTo("revise");

    String fixed = Files.readString(project.resolve(CALCULATOR));
    assertThat(fixed)
        .contains("return a >= b ? a : b;")
        .contains("(either one when they are equal)");
    assertThat(Files.readString(PROJECT.resolve(CALCULATOR)))
        .as("the fixture itself is untouched")
        .contains("return a < b ? a : b;");

    JsonNode tests = r.output().path("tests");
    assertThat(tests.path("exit_code").asInt()).as(tests.toString()).isEqualTo(0);
    assertThat(tests.path("command")).hasSize(4);
    assertThat(tests.path("total").asInt()).isEqualTo(2);
    assertThat(tests.path("passed").asInt()).isEqualTo(2);
    assertThat(tests.path("failed").asInt()).isZero();
    assertThat(tests.path("errors").asInt()).isZero();
    assertThat(tests.path("failures")).isEmpty();
    assertThat(r.output().path("summary").asText()).contains("as the review asked");
  }
}
