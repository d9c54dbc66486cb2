package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.InvalidInputException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunQuery;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run input is held to one nesting and size limit where it enters the runtime. */
class InputLimitsTest {
  @TempDir Path dir;

  private static final String ECHO =
      """
      id: echo
      nodes:
        - {id: start, role: start}
        - {id: done, role: exit, output: "{{input}}"}
      edges:
        - {from: start, to: done}
      """;

  private static final String APPROVAL =
      """
      id: approval
      nodes:
        - {id: start, role: start}
        - {id: approve, kind: transform, interrupt: before, template: "{{$resume.approve}}"}
        - {id: done, role: exit, output: "{{approve}}"}
      edges:
        - {from: start, to: approve}
        - {from: approve, to: done}
      """;

  /** Arrays nested {@code depth} levels deep: {@code [[...]]}. */
  private static JsonNode nested(int depth) {
    ArrayNode root = JsonNodeFactory.instance.arrayNode();
    ArrayNode a = root;
    for (int i = 1; i < depth; i++) a = a.addArray();
    return root;
  }

  @Test
  void run_inputAtTheDepthLimit_runs() {
    try (AgentRuntime rt = runtime(dir, ECHO).build()) {
      RunResult r = rt.run("echo", nested(AgentRuntime.MAX_INPUT_DEPTH));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(nested(AgentRuntime.MAX_INPUT_DEPTH));
    }
  }

  @Test
  void run_inputOneLevelDeeperThanTheLimit_throwsInvalidInputAndStartsNoRun() {
    try (AgentRuntime rt = runtime(dir, ECHO).build()) {
      assertThatThrownBy(() -> rt.run("echo", nested(AgentRuntime.MAX_INPUT_DEPTH + 1)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> {
                assertThat(e.workflowId()).isEqualTo("echo");
                assertThat(e.getMessage())
                    .isEqualTo(
                        "input of workflow 'echo' is nested more than 100 levels deep; at "
                            + "most 100 levels of arrays and objects are accepted (flatten it)");
                assertThat(e.problems())
                    .containsExactly(
                        "is nested more than 100 levels deep; at most 100 levels of "
                            + "arrays and objects are accepted (flatten it)");
              });
      assertThat(rt.checkpointStore().list(RunQuery.all())).isEmpty();
    }
  }

  @Test
  void run_inputNestedFarDeeperThanJacksonCanWrite_throwsInvalidInputWithoutOverflowingTheStack() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode o = root;
    for (int i = 0; i < 200_000; i++) o = o.putObject("a");
    try (AgentRuntime rt = runtime(dir, ECHO).build()) {
      assertThatThrownBy(() -> rt.start("echo", root))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("input of workflow 'echo' is nested more than 100 levels deep");
      assertThat(rt.checkpointStore().list(RunQuery.all())).isEmpty();
    }
  }

  @Test
  void run_inputLargerThanTheSizeLimit_throwsInvalidInputAndStartsNoRun() {
    // {"text":"xxx..."} is 11 bytes more than the text
    String text = "x".repeat((int) AgentRuntime.MAX_INPUT_BYTES - 10);
    try (AgentRuntime rt = runtime(dir, ECHO).build()) {
      assertThatThrownBy(() -> rt.run("echo", Map.of("text", text)))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "input of workflow 'echo' is larger than 16 MiB as JSON; pass large data by reference "
                              + "(such as a file path or URL in the input)"));
      assertThat(rt.checkpointStore().list(RunQuery.all())).isEmpty();
    }
  }

  @Test
  void run_inputExactlyAtTheSizeLimit_runs() {
    String text = "x".repeat((int) AgentRuntime.MAX_INPUT_BYTES - 11);
    try (AgentRuntime rt = runtime(dir, ECHO).build()) {
      assertThat(rt.run("echo", Map.of("text", text)).status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void resume_inputDeeperThanTheLimit_throwsInvalidInputAndTheRunStillWaits() {
    try (AgentRuntime rt = runtime(dir, APPROVAL).build()) {
      RunResult waiting = rt.run("approval", null);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);

      assertThatThrownBy(() -> rt.resume(waiting.runId(), nested(AgentRuntime.MAX_INPUT_DEPTH + 1)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith(
              "input of workflow 'approval' is nested more than 100 levels deep");

      assertThat(rt.checkpointStore().find(waiting.runId()).orElseThrow().status())
          .isEqualTo(RunStatus.WAITING);
      assertThat(rt.checkpointStore().steps(waiting.runId())).hasSize(2);
      assertThat(rt.resume(waiting.runId(), Map.of("ok", true)).status())
          .isEqualTo(RunStatus.COMPLETED);
    }
  }
}
