package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.manifest.Capabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coding-agent kit ({@code src/main/resources/coding-kit}) offline, on scripted models, against
 * temporary copies of small Java projects whose tests really compile and run ({@code java
 * RunTests.java}): fix-failing-test fixes a bug in one round or gives up after three, feature-add
 * implements, analyses, tests, debugs and fixes, and the director's plan names only capabilities
 * the kit provides.
 */
class CodingKitTest {
  static final Path KIT = Path.of("src/main/resources/coding-kit");
  static final Path FIXTURES = Path.of("src/test/resources/coding-kit");

  @TempDir Path tmp;
  Path project;

  private AgentRuntime runtime(String fixture) {
    AgentRuntime rt = JavaProjects.runtime(KIT, tmp, FIXTURES.resolve(fixture), true);
    project = JavaProjects.workspace(rt);
    return rt;
  }

  @Test
  void fixFailingTest_oneBug_isDiagnosedPatchedAndProvenGreen() throws IOException {
    RunResult r;
    try (AgentRuntime rt = runtime("temperature-project")) {
      r = rt.run("fix-failing-test", Map.of("request", "celsiusToFahrenheit must be right"));
    }

    assertThat(r)
        .isCompleted()
        .hasStepKeys("start#0", "tests#0", "debug#0", "fix#0", "tests#1", "fixed#0")
        .hasOutputAt("outcome", "fixed")
        .madeToolCall("patch.apply");
    assertThat(r.step("tests#0").orElseThrow().output().path("failed").asInt()).isEqualTo(1);
    assertThat(r.output().path("tests").path("failed").asInt()).isZero();
    assertThat(r.output().path("tests").path("passed").asInt()).isEqualTo(1);
    assertThat(Files.readString(project.resolve("src/main/java/demo/Temperature.java")))
        .contains("return celsius * 9 / 5 + 32;");
  }

  @Test
  void fixFailingTest_bugNoAttemptFixes_endsExhaustedAfterThreeRounds() {
    RunResult r;
    try (AgentRuntime rt = runtime("stubborn-project")) {
      r = rt.run("fix-failing-test", Map.of("request", "after must wrap around twelve"));
    }

    assertThat(r).isCompleted().hasOutputAt("outcome", "exhausted");
    assertThat(r.steps().stream().filter(s -> s.nodeId().equals("tests"))).hasSize(4);
    assertThat(r.steps().stream().filter(s -> s.nodeId().equals("fix"))).hasSize(4);
    assertThat(r.output().path("last_diagnosis").asText()).startsWith("(attempt 4)");
    assertThat(r.output().path("tests").path("failed").asInt()).isEqualTo(1);
  }

  @Test
  void featureAdd_implementAnalyseTestDebugFix_endsGreenWithASummary() throws IOException {
    RunResult r;
    try (AgentRuntime rt = runtime("feature-project")) {
      r =
          rt.run(
              "feature-add",
              Map.of(
                  "request",
                  "Add Temperature.fahrenheitToCelsius, the inverse of celsiusToFahrenheit."));
    }

    assertThat(r)
        .isCompleted()
        .hasStepKeys(
            "start#0",
            "codegen#0",
            "analysis#0",
            "testgen#0",
            "tests#0",
            "debug#0",
            "fix#0",
            "tests#1",
            "done#0")
        .hasOutputAt("outcome", "passed")
        .madeToolCall("java.check");
    JsonNode out = r.output();
    assertThat(out.path("change").asText()).contains("fahrenheitToCelsius");
    assertThat(out.path("tests_written").get(0).asText())
        .isEqualTo("src/test/java/demo/FahrenheitToCelsiusTest.java");
    assertThat(out.path("tests").path("passed").asInt()).isEqualTo(3);
    assertThat(r.step("tests#0").orElseThrow().output().path("failed").asInt()).isEqualTo(2);
    assertThat(Files.readString(project.resolve("src/main/java/demo/Temperature.java")))
        .contains("return (fahrenheit - 32) * 5 / 9;");
    assertThat(project.resolve("src/test/java/demo/FahrenheitToCelsiusTest.java")).exists();
  }

  @Test
  void plan_everyStepNamesACapabilityTheKitProvides() {
    try (AgentRuntime rt = runtime("feature-project")) {
      RunResult r = rt.run("plan", Map.of("task", "Add Temperature.fahrenheitToCelsius"));
      Capabilities caps = rt.capabilities();

      assertThat(r).isCompleted().hasOutputAt("qa.verdict", "pass");
      JsonNode steps = r.output().path("steps");
      assertThat(steps).hasSize(5);
      for (JsonNode step : steps) {
        String capability = step.path("capability").asText();
        assertThat(caps.entries(Capabilities.Kind.AGENT))
            .as("an agent of the kit provides '%s'", capability)
            .anyMatch(agent -> agent.tags().contains(capability));
      }
    }
  }
}
