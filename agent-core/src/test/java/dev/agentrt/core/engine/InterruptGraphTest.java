package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph marks where a run stops for a person. */
class InterruptGraphTest {
  @TempDir Path dir;

  @Test
  void mermaid_interruptNodes_markedWithTheirMode() {
    String wf =
        """
        id: approve
        nodes:
          - {id: start, role: start}
          - {id: draft, kind: transform, template: {text: hi}, interrupt: after}
          - {id: publish, kind: transform, template: {ok: true}, interrupt: before}
          - {id: done, role: exit}
        edges:
          - {from: start, to: draft}
          - {from: draft, to: publish}
          - {from: publish, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      assertThat(rt.mermaid("approve"))
          .contains(
              "  n1[\"draft<br/>transform<br/>interrupt after\"]\n",
              "  n2[\"publish<br/>transform<br/>interrupt before\"]\n");
    }
  }
}
