package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static dev.agentrt.core.engine.Fixture.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kind: workflow runs a sub-workflow as one step. */
class SubWorkflowTest {
  @TempDir Path dir;

  private static final String SHOUT =
      """
      id: shout
      nodes:
        - {id: start, role: start}
        - {id: up, kind: function, function: upper}
        - {id: out, role: exit, output: {loud: "{{up}}"}}
      edges:
        - {from: start, to: up}
        - {from: up, to: out}
      """;

  private static final String PARENT =
      """
      id: parent
      nodes:
        - {id: start, role: start}
        - {id: prep, kind: transform, template: {text: "{{input.text}}!"}}
        - {id: child, kind: workflow, workflow: shout, input: {text: prep.text}}
        - {id: done, role: exit, output: "{{child}}"}
      edges:
        - {from: start, to: prep}
        - {from: prep, to: child}
        - {from: child, to: done}
      """;

  @Test
  void run_subWorkflow_exitOutputBecomesNodeOutputAndKeysArePrefixed() {
    try (AgentRuntime rt =
        runtime(dir, SHOUT, PARENT)
            .function(
                "upper", (in, ctx) -> TextNode.valueOf(in.get("input.text").asText().toUpperCase()))
            .build()) {
      RunResult r = rt.run("parent", Map.of("text", "hi"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("{\"loud\": \"HI!\"}"));
      assertThat(step(r, "child#0").output()).isEqualTo(json("{\"loud\": \"HI!\"}"));
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "prep#0",
              "child#0",
              "child#0/start#0",
              "child#0/up#0",
              "child#0/out#0",
              "done#0");
    }
  }

  @Test
  void run_subWorkflowInsideSplit_keysArePrefixedByItemStepKey() {
    String wf =
        """
        id: many
        nodes:
          - {id: start, role: start}
          - {id: each, role: split, items: input.texts}
          - {id: child, kind: workflow, workflow: shout, input: {text: $item}}
          - {id: all, role: merge}
          - {id: done, role: exit, output: "{{all}}"}
        edges:
          - {from: start, to: each}
          - {from: each, to: child}
          - {from: child, to: all}
          - {from: all, to: done}
        """;
    try (AgentRuntime rt =
        runtime(dir, SHOUT, wf)
            .function(
                "upper", (in, ctx) -> TextNode.valueOf(in.get("input.text").asText().toUpperCase()))
            .build()) {
      RunResult r = rt.run("many", Map.of("texts", List.of("a", "b")));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("[{\"loud\": \"A\"}, {\"loud\": \"B\"}]"));
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "each#0",
              "each#0[0]/child#0",
              "each#0[0]/child#0/start#0",
              "each#0[0]/child#0/up#0",
              "each#0[0]/child#0/out#0",
              "each#0[1]/child#0",
              "each#0[1]/child#0/start#0",
              "each#0[1]/child#0/up#0",
              "each#0[1]/child#0/out#0",
              "all#0",
              "done#0");
    }
  }
}
