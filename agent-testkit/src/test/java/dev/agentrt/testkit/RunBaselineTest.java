package dev.agentrt.testkit;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.llm.ScriptedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run kept as a baseline, and the readable diff of a run that changed. */
class RunBaselineTest {
  static final Path CONFIG = Path.of("src/test/resources/review-agent");
  static final Path WORKSPACE = Path.of("src/test/resources/review-workspace");

  @TempDir Path tmp;

  RunResult run(String verdict, String file) {
    ScriptedModel m =
        ScriptedModel.builder()
            .toolCall("fs.read", Map.of("path", file))
            .answer("{\"verdict\": \"" + verdict + "\", \"comments\": \"ok\"}")
            .build();
    try (AgentRuntime rt =
        AgentTestRuntime.builder(CONFIG, tmp).workspace(WORKSPACE).model("default", m).build()) {
      RunResult r = rt.run("review", Map.of("file", file));
      assertThat(r).isNotNull();
      return r;
    }
  }

  @Test
  void theSameRun_matchesItsBaseline() {
    RunResult r = run("approve", "NOTES.md");
    Path file = tmp.resolve("baseline.yml");
    assertThat(r).matchesBaseline(writeBaselineOf(r, file));
    assertThat(RunBaseline.read(file).tree().path("tool_calls").get(0).path("tool").asText())
        .isEqualTo("fs.read");
  }

  @Test
  void aChangedRun_listsEachDifference() {
    RunResult before = run("approve", "NOTES.md");
    Path file = writeBaselineOf(before, tmp.resolve("b.yml"));
    RunResult after = run("revise", "MISSING.md");

    assertThatThrownBy(() -> assertThat(after).matchesBaseline(file))
        .hasMessageContaining("the run differs from the baseline")
        .hasMessageContaining("step review#0 output: verdict: expected \"approve\", was \"revise\"")
        .hasMessageContaining("tool call 1: expected fs.read in review#0 {\"path\":\"NOTES.md\"}")
        .hasMessageContaining("was fs.read in review#0 {\"path\":\"MISSING.md\"}")
        .hasMessageContaining("output: verdict: expected \"approve\", was \"revise\"");
  }

  @Test
  void aRecordedScriptWithABaselineSection_isReadAsABaseline() throws Exception {
    RunResult r = run("approve", "NOTES.md");
    String yaml = RunBaseline.of(r, callsOf(r)).toYaml();
    Path script = tmp.resolve("rec.yml");
    Files.writeString(script, "turns:\n  - text: x\nbaseline:\n" + yaml.replaceAll("(?m)^", "  "));
    assertThat(r).matchesBaseline(script);
  }

  @Test
  void aFileWithoutABaseline_isAClearError() throws Exception {
    Path script = Files.writeString(tmp.resolve("s.yml"), "turns:\n  - text: x\n");
    assertThatThrownBy(() -> RunBaseline.read(script))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "holds no baseline (record one with agentrt run WORKFLOW --record FILE");
  }

  private Path writeBaselineOf(RunResult r, Path file) {
    RunBaseline.of(r, callsOf(r)).write(file);
    return file;
  }

  private static java.util.List<dev.agentrt.core.spi.CallRecord> callsOf(RunResult r) {
    return dev.agentrt.testkit.internal.RunCalls.calls(r.runId()).orElseThrow();
  }
}
