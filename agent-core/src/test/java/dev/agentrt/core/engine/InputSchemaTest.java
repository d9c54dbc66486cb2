package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.InvalidInputException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunQuery;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's input is checked against the workflow's input.schema before the run starts. */
class InputSchemaTest {
  @TempDir Path dir;

  private static final String WF =
      """
      id: greet
      input:
        schema:
          type: object
          required: [name]
          properties:
            name: {type: string}
            times: {type: integer, minimum: 1}
      nodes:
        - {id: start, role: start}
        - {id: done, role: exit, output: "Hello, {{input.name}}"}
      edges:
        - {from: start, to: done}
      """;

  @Test
  void run_inputMatchingSchema_runs() {
    try (AgentRuntime rt = runtime(dir, WF).build()) {
      assertThat(rt.run("greet", Map.of("name", "Ada", "times", 2)).status())
          .isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void run_inputNotMatchingSchema_throwsWithEveryProblemAndStartsNoRun() {
    try (AgentRuntime rt = runtime(dir, WF).build()) {
      assertThatThrownBy(() -> rt.run("greet", Map.of("times", 0)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.workflowId()).isEqualTo("greet");
                assertThat(e.problems())
                    .containsExactly(
                        "/: required property 'name' not found",
                        "/times: must have a minimum value of 1");
                assertThat(e.getMessage())
                    .isEqualTo(
                        "input of workflow 'greet' does not match its input.schema: "
                            + "/: required property 'name' not found; /times: must have a minimum value of 1");
              });
      assertThat(rt.checkpointStore().list(RunQuery.all())).isEmpty();
    }
  }
}
