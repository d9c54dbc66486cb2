package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph rules of ARCHITECTURE §3, checked at load time. */
class WorkflowGraphTest {
  static final String F = "workflows/x.yml:";

  static final String NODES =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - {id: implement, kind: transform, template: code}
        - {id: review, kind: transform, role: decision, template: approve}
        - {id: tests, kind: transform, template: green}
        - {id: done, role: exit}
      edges:
        - {from: start, to: implement}
        - {from: implement, to: review}
        - {from: review, to: tests, when: approve}
      """;

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  @Test
  void load_boundedLoop_loadsWithoutProblems() {
    fx.workflow(
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 2, exhausted: tests}}
          - {from: tests, to: done}
        """);

    EdgeSpec loop = fx.load().workflow("x").orElseThrow().edges().get(3);

    assertThat(loop.loop()).isEqualTo(new EdgeSpec.LoopSpec(2, "tests"));
  }

  @Test
  void load_edgeTagsAndExamples_areBound() {
    fx.workflow(
        NODES
            + """
          - from: review
            to: implement
            when: revise
            loop: {max: 2, exhausted: tests}
            tags: [code, fix]
            examples: [Fix the typo in the README, Rename the flag]
          - {from: tests, to: done}
        """);

    EdgeSpec e = fx.load().workflow("x").orElseThrow().edges().get(3);

    assertThat(e.tagsOrEmpty()).containsExactly("code", "fix");
    assertThat(e.examplesOrEmpty())
        .containsExactly("Fix the typo in the README", "Rename the flag");
    assertThat(fx.load().workflow("x").orElseThrow().edges().get(0).examplesOrEmpty()).isEmpty();
  }

  @Test
  void load_blankEdgeExample_reportsFileLineColumn() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 2, exhausted: tests}, examples: ["  "]}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "\"  \"")
                + ": edge 'review -> implement': examples[0]: must not be blank (found '  ')");
  }

  @Test
  void load_edgeTagsNotAList_reportsFileLineColumn() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 2, exhausted: tests}}
          - {from: tests, to: done, tags: {a: b}}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "{a: b}") + ": edge 'tests -> done': tags: expected a list, found a mapping");
  }

  @Test
  void load_edgeToUnknownNode_reportsFileLineColumnAndSuggestion() {
    String y =
        NODES
            + """
          - {from: review, to: implemnt, when: revise, loop: {max: 2, exhausted: tests}}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "implemnt")
                + ": edge 'review -> implemnt': no node 'implemnt' (did you mean 'implement'?)");
  }

  @Test
  void load_edgeFromUnknownNode_reportsFileLineColumnAndSuggestion() {
    String y =
        NODES
            + """
          - {from: test, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "test,") + ": edge 'test -> done': no node 'test' (did you mean 'tests'?)");
  }

  @Test
  void load_unknownLoopExhausted_reportsTargetAndSuggestion() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 2, exhausted: tets}}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "tets")
                + ": edge 'review -> implement': loop.exhausted: no node 'tets' (did you mean 'tests'?)");
  }

  @Test
  void load_cycleWithoutLoopEdge_reportsTheCycle() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{from: review, to: implement")
                + ": edge 'review -> implement': closes the cycle implement -> review -> implement"
                + " (a back-edge must be bounded: add loop: {max: N, exhausted: <node>})");
  }

  @Test
  void load_unreachableNode_reportsNode() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: orphan, kind: transform, template: lost}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
          - {from: orphan, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: orphan")
                + ": node 'orphan': not reachable from start 'start' (add an edge into it, or remove it)");
  }

  @Test
  void load_loopMaxZero_reportsConstraintWithFoundValue() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 0, exhausted: tests}}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "0,")
                + ": edge 'review -> implement': loop.max: must be at least 1 (found '0')");
  }

  @Test
  void load_loopWithoutExhausted_reportsMissingKey() {
    String y =
        NODES
            + """
          - {from: review, to: implement, when: revise, loop: {max: 2}}
          - {from: tests, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{max: 2}")
                + ": edge 'review -> implement': loop.exhausted: is required (the node to take once the loop has run max times)");
  }

  @Test
  void load_loopEdgeLeavingBranchRegion_reportsBothRegions() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: w}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: check, kind: transform, role: decision, template: ok}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: fan}
          - {from: fan, to: a}
          - {from: fan, to: check}
          - {from: a, to: joined}
          - {from: check, to: joined, when: ok}
          - {from: check, to: work, when: again, loop: {max: 2, exhausted: joined}}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{from: check, to: work")
                + ": edge 'check -> work': a loop edge must stay inside 'fan' (it enters 'work' outside any branch or split)");
  }

  @Test
  void load_duplicateNodeId_reportsSecondNode() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: a}
          - {id: work, kind: transform, template: b}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "work", 2) + ": node 'work': duplicate id (nodes[1] has it already)");
  }

  @Test
  void load_duplicateEdge_reportsSecondEdgeOnce() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "{from: start", 2) + ": edge 'start -> done': duplicate edge (remove one)");
  }
}
