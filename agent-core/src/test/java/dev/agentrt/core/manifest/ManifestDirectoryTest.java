package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory as a whole: every problem at once, in order; the repository's own examples. */
class ManifestDirectoryTest {
  @TempDir Path dir;

  @Test
  void load_threeBrokenFiles_reportsAllProblemsTogetherSortedByFileThenLine() {
    String workflow =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: start, to: wrok}
          - {from: work, to: dnoe}
        """;
    String agent =
        """
        name: helper
        temprature: 0
        """;
    String config =
        """
        checkpoint: {store: memory}
        budget: {max_hops: lots}
        """;
    ManifestFixture fx =
        new ManifestFixture(dir).workflow(workflow).agent("helper", agent).config(config);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:" + at(config, "lots") + ": budget.max_hops: 'lots' is not a whole number",
            "agents/helper.yml:"
                + at(agent, "temprature")
                + ": unknown key 'temprature' (did you mean 'temperature'?)",
            "workflows/x.yml:"
                + at(workflow, "wrok")
                + ": edge 'start -> wrok': no node 'wrok' (did you mean 'work'?)",
            "workflows/x.yml:"
                + at(workflow, "dnoe")
                + ": edge 'work -> dnoe': no node 'dnoe' (did you mean 'done'?)");
  }

  @Test
  void load_problems_exceptionMessageListsEveryProblemOneALine() {
    ManifestFixture fx =
        new ManifestFixture(dir)
            .workflow(
                """
        id: x
        nodes:
          - {id: start, role: start}
        edges:
          - {from: start, to: nowhere}
        """);

    assertThatThrownBy(fx::build)
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            """
        1 problem in the agent configuration:
        workflows/x.yml:5:23: edge 'start -> nowhere': no node 'nowhere'""");
  }

  @Test
  void load_repositoryAgentDirectory_loadsWithoutProblems() {
    try (AgentRuntime rt =
        dev.agentrt.core.ProjectConfig.builder().environment(name -> null).build()) {
      assertThat(rt.manifests().workflows())
          .containsOnlyKeys("hello", "release-notes", "feature-add", "research", "ask", "triage");
      assertThat(rt.manifests().agents())
          .containsOnlyKeys("engineer", "reviewer", "researcher", "librarian", "dispatcher");
    }
  }
}
