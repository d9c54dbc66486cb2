package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Property tests of the router: generated loop bounds and decisions, shrunk on failure. */
class RoutingPropertiesTest {
  private static final String LOOP =
      """
      id: review
      nodes:
        - {id: start, role: start}
        - {id: draft, kind: function, function: probe}
        - {id: review, kind: transform, role: decision, route: verdict, template: {verdict: "{{draft.verdict}}"}}
        - {id: done, role: exit, output: "{{draft}}"}
      edges:
        - {from: start, to: draft}
        - {from: draft, to: review}
        - {from: review, to: done, when: approve}
        - {id: again, from: review, to: draft, when: revise, loop: {max: MAX, exhausted: done}}
      """;

  // Catches an off-by-one in loop counting, a loop past max, or a decision ignoring its when:.
  @Property(tries = 60, seed = "20261205")
  void aDecisionLoopRunsUntilApprovedButNeverPastMax(
      @ForAll @IntRange(min = 1, max = 5) int max,
      @ForAll @IntRange(min = 0, max = 8) int revisions)
      throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "props");
    try (AgentRuntime rt =
        runtime(dir, LOOP.replace("MAX", Integer.toString(max)))
            .function(
                "probe",
                (in, ctx) -> {
                  int i = Integer.parseInt(ctx.stepKey().substring(ctx.stepKey().indexOf('#') + 1));
                  return JsonNodeFactory.instance
                      .objectNode()
                      .put("verdict", i < revisions ? "revise" : "approve");
                })
            .build()) {
      RunResult r = rt.run("review", null);

      List<String> expected = new ArrayList<>(List.of("start#0"));
      for (int i = 0; i <= Math.min(revisions, max); i++) {
        expected.add("draft#" + i);
        expected.add("review#" + i);
      }
      expected.add("done#0");
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(r)).isEqualTo(expected);
      // the same workflow run again takes the same steps in the same order
      assertThat(keys(rt.run("review", null))).isEqualTo(expected);
    }
  }
}
