package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunResult.outputAs and RunResult.state: results with Java types, and the state a run left. */
class TypedResultsTest {
  @TempDir Path dir;

  record Finding(String file, int line) {}

  record Review(String verdict, List<Finding> findings) {}

  private static final String REVIEW =
      """
      id: review
      nodes:
        - {id: start, role: start}
        - id: check
          kind: transform
          template:
            verdict: "{{input.verdict}}"
            findings: [{file: A.java, line: "{{input.line}}", rule: unused}]
        - {id: ask, kind: transform, template: {q: "ok?"}, interrupt: after}
        - {id: done, role: exit, output: "{{check}}"}
      edges:
        - {from: start, to: check}
        - {from: check, to: ask}
        - {from: ask, to: done}
      """;

  @Test
  void outputAs_record_convertsIgnoringUndeclaredFields() {
    try (AgentRuntime rt = runtime(dir, REVIEW).build()) {
      RunResult waiting = rt.run("review", Map.of("verdict", "approve", "line", 12));
      RunResult r = rt.resume(waiting.runId(), Map.of());

      assertThat(r.outputAs(Review.class))
          .isEqualTo(new Review("approve", List.of(new Finding("A.java", 12))));
      assertThat(r.outputAs(new TypeReference<Map<String, Object>>() {}))
          .containsEntry("verdict", "approve");
    }
  }

  @Test
  void outputAs_notConvertible_saysWhereAndWhy() {
    try (AgentRuntime rt = runtime(dir, REVIEW).build()) {
      RunResult waiting = rt.run("review", Map.of("verdict", "approve", "line", "twelve"));
      RunResult r = rt.resume(waiting.runId(), Map.of());

      assertThatThrownBy(() -> r.outputAs(Review.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "the output of run "
                  + r.runId()
                  + " does not convert to "
                  + Review.class.getName()
                  + " at findings[0].line: ");
    }
  }

  @Test
  void outputAs_waitingRun_hasNoOutputYet() {
    try (AgentRuntime rt = runtime(dir, REVIEW).build()) {
      RunResult r = rt.run("review", Map.of("verdict", "approve", "line", 1));

      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThatThrownBy(() -> r.outputAs(Review.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "run " + r.runId() + " has no output: it is WAITING (INTERRUPTED");
    }
  }

  @Test
  void state_ofAWaitingRun_holdsTheInputAndTheOutputsSoFar() {
    try (AgentRuntime rt = runtime(dir, REVIEW).build()) {
      RunResult r = rt.run("review", Map.of("verdict", "revise", "line", 3));

      assertThat(r.state().path("input").path("verdict").asText()).isEqualTo("revise");
      assertThat(r.state().path("check").path("verdict").asText()).isEqualTo("revise");
      assertThat(r.state().path("ask").path("q").asText()).isEqualTo("ok?");
      assertThat(r.state().has("done")).isFalse();

      RunResult done = rt.resume(r.runId(), Map.of("note", "fine"));
      assertThat(done.state().path("$resume").path("ask").path("note").asText()).isEqualTo("fine");
      assertThat(done.state().path("check")).isEqualTo(done.output());
    }
  }
}
