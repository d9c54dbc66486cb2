package dev.agentrt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MermaidTest {
  @Test
  void mermaid_releaseNotes_showsRolesByShapeAndLoopBound() {
    try (AgentRuntime rt = ProjectConfig.builder().build()) {
      assertThat(rt.mermaid("release-notes"))
          .isEqualTo(
              """
          graph TD
            n0(["start"])
            n1{"classify<br/>transform"}
            n2["hotfix<br/>transform"]
            n3[/"fanout"\\]
            n4["summary<br/>transform"]
            n5["labels<br/>transform"]
            n6[\\"joined"/]
            n7[/"each_change"/]
            n8["render<br/>transform"]
            n9[\\"rendered"/]
            n10["draft<br/>transform"]
            n11{"review<br/>transform"}
            n12((("done")))
            n0 --> n1
            n1 -->|"bug"| n2
            n1 --> n3
            n2 --> n3
            n3 --> n4
            n3 --> n5
            n4 --> n6
            n5 --> n6
            n6 --> n7
            n7 --> n8
            n8 --> n9
            n9 --> n10
            n10 --> n11
            n11 -->|"approve"| n12
            n11 -.->|"revise loop max 2"| n10
            n11 -.->|"exhausted after 2"| n12
          """);
    }
  }

  @Test
  void mermaid_withTakenNodes_classesThemAndThickensTheEdgesBetweenThem() {
    try (AgentRuntime rt = ProjectConfig.builder().build()) {
      String graph =
          AgentRuntime.mermaid(
              rt.manifests().workflow("feature-add").orElseThrow(),
              java.util.Set.of("start", "implement", "review"));

      assertThat(graph)
          .startsWith(rt.mermaid("feature-add"))
          .endsWith(
              """
                n3 --> n4
                classDef taken stroke-width:3px,stroke:#1f6feb,fill:#ddf4ff
                class n0,n1,n2 taken
                linkStyle 0,1,3 stroke-width:3px,stroke:#1f6feb
              """);
    }
  }

  @Test
  void mermaid_unknownWorkflow_suggestsTheClosestId() {
    try (AgentRuntime rt = ProjectConfig.builder().build()) {
      assertThatThrownBy(() -> rt.mermaid("relase-notes"))
          .isInstanceOf(AgentrtException.class)
          .hasMessage(
              "no workflow 'relase-notes' (did you mean 'release-notes'?) (known: ask, feature-add, hello, release-notes, research, triage)");
    }
  }
}
