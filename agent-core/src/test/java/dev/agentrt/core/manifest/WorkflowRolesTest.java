package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node roles of ARCHITECTURE §3: what each one allows and the exact problem when it is broken.
 */
class WorkflowRolesTest {
  static final String F = "workflows/x.yml:";

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  @Test
  void load_everyRoleUsedCorrectly_loadsWithoutProblems() {
    fx.workflow(
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: transform, role: decision, route: k, template: {k: "{{input.k}}"}}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: joined, role: merge}
          - {id: each, role: split, items: input.list}
          - {id: item, kind: transform, template: "{{$item}}"}
          - {id: items, role: merge}
          - {id: done, role: exit, output: "{{items}}"}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: fan, when: go}
          - {from: pick, to: done}
          - {from: fan, to: a}
          - {from: fan, to: b}
          - {from: a, to: joined}
          - {from: b, to: joined}
          - {from: joined, to: each}
          - {from: each, to: item}
          - {from: item, to: items}
          - {from: items, to: done}
        """);

    WorkflowSpec wf = fx.load().workflow("x").orElseThrow();

    assertThat(wf.nodes())
        .extracting(NodeSpec::roleOrDefault)
        .containsExactly(
            Role.START,
            Role.DECISION,
            Role.BRANCH,
            Role.LINEAR,
            Role.LINEAR,
            Role.MERGE,
            Role.SPLIT,
            Role.LINEAR,
            Role.MERGE,
            Role.EXIT);
  }

  // ---- start

  @Test
  void load_noStartNode_reportsMissingStart() {
    String y =
        """
        id: x
        nodes:
          - {id: work, kind: transform, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: work, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "- {id: work")
                + ": workflow 'x': no start node (add {id: start, role: start} and an edge from it)");
  }

  @Test
  void load_twoStartNodes_reportsTheSecond() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: again, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
          - {from: again, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "start}", 2)
                + ": node 'again': a second start node (a workflow has exactly one)");
  }

  @Test
  void load_kindOnStart_reportsKindAndFix() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start, kind: transform, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "transform")
                + ": node 'start': role start runs nothing, so it takes no kind (move kind 'transform' to a node of its own)");
  }

  @Test
  void load_edgeIntoStart_reportsTheEdge() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: transform, role: decision, template: again}
          - {id: done, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: done}
          - {from: pick, to: start, when: again}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "start, when") + ": edge 'pick -> start': no edge may enter the start node");
  }

  // ---- linear

  @Test
  void load_linearWithoutOutgoingEdge_reportsNodeAndFix() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
        edges:
          - {from: start, to: work}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: work")
                + ": node 'work': no outgoing edge (add an edge from 'work', or make it role: exit)");
  }

  @Test
  void load_linearWithTwoOutgoingEdges_reportsSecondEdgeAndFix() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: done, role: exit}
          - {id: other, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
          - {from: work, to: other}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{from: work, to: other}")
                + ": node 'work': 2 outgoing edges, but role linear takes one (use role: decision with when:, or role: branch)");
  }

  // ---- decision

  @Test
  void load_decisionWithoutKind_reportsNeedForKind() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: pick, role: decision}
          - {id: done, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: pick")
                + ": node 'pick': role decision needs a kind that produces the value to route on");
  }

  @Test
  void load_decisionWithTwoDefaultEdges_reportsSecondDefault() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: transform, role: decision, template: a}
          - {id: done, role: exit}
          - {id: other, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: done}
          - {from: pick, to: other}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{from: pick, to: other}")
                + ": edge 'pick -> other': a second default edge (edges without when:) leaving decision 'pick'");
  }

  @Test
  void load_decisionWithDuplicateWhen_reportsSecondWhen() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: transform, role: decision, template: a}
          - {id: done, role: exit}
          - {id: other, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: done, when: approve}
          - {from: pick, to: other, when: approve}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "approve", 2)
                + ": edge 'pick -> other': when 'approve' is already taken by an earlier edge of 'pick'");
  }

  @Test
  void load_whenOnLinearEdge_reportsWhenAndRole() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done, when: ok}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "ok}")
                + ": edge 'work -> done': when: applies to edges leaving a decision ('work' is linear)");
  }

  // ---- branch

  static final String BRANCH_NODES =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - {id: fan, role: branch}
        - {id: a, kind: transform, template: a}
        - {id: b, kind: transform, template: b}
        - {id: joined, role: merge}
        - {id: done, role: exit}
      edges:
        - {from: start, to: fan}
      """;

  @Test
  void load_whenOnBranchEdge_reportsWhen() {
    String y =
        BRANCH_NODES
            + """
          - {from: fan, to: a, when: left}
          - {from: fan, to: b}
          - {from: a, to: joined}
          - {from: b, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "left")
                + ": edge 'fan -> a': when: applies to edges leaving a decision; a branch takes all its edges");
  }

  @Test
  void load_loopEdgeLeavingBranch_reportsLoop() {
    String y =
        BRANCH_NODES
            + """
          - {from: fan, to: a, loop: {max: 2, exhausted: b}}
          - {from: fan, to: b}
          - {from: a, to: joined}
          - {from: b, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "{max: 2") + ": edge 'fan -> a': a loop edge cannot leave a branch");
  }

  @Test
  void load_branchNeverReachingMerge_reportsBranchAndExit() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fan}
          - {from: fan, to: a}
          - {from: fan, to: b}
          - {from: a, to: done}
          - {from: b, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: fan")
                + ": node 'fan': its paths never reach a merge (add a role: merge node where they meet)",
            F
                + at(y, "{id: done")
                + ": node 'done': reached inside 'fan' before its merge"
                + " (every path of 'fan' must reach a merge node before it can exit)");
  }

  @Test
  void load_branchPathsEndingAtTwoMerges_reportsBothMerges() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: m1, role: merge}
          - {id: m2, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fan}
          - {from: fan, to: a}
          - {from: fan, to: b}
          - {from: a, to: m1}
          - {from: b, to: m2}
          - {from: m1, to: done}
          - {from: m2, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: fan")
                + ": node 'fan': its paths end at two merges,"
                + " 'm1' and 'm2' (every path of a branch must reach the same merge)");
  }

  @Test
  void load_nodeOnTwoBranchPaths_reportsNodeAndBothPaths() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: shared, kind: transform, template: s}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fan}
          - {from: fan, to: a}
          - {from: fan, to: b}
          - {from: a, to: shared}
          - {from: b, to: shared}
          - {from: shared, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: shared")
                + ": node 'shared': on two paths of branch 'fan' (from 'a' and from 'b'); give each path its own nodes");
  }

  // ---- split

  @Test
  void load_splitWithTwoOutgoingEdges_reportsSecondEdge() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: each, role: split, items: input.list}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: each}
          - {from: each, to: a}
          - {from: each, to: b}
          - {from: a, to: joined}
          - {from: b, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{from: each, to: b}")
                + ": node 'each': a split has one outgoing edge, to the first node of each sub-task (found 2)");
  }

  @Test
  void load_splitWithoutItemsOrKind_reportsWhatItNeeds() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: each, role: split}
          - {id: a, kind: transform, template: a}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: each}
          - {from: each, to: a}
          - {from: a, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: each")
                + ": node 'each': a split needs items: (a state path to an array) or a kind whose output is an array");
  }

  @Test
  void load_splitOverKindOutput_loadsWithoutProblems() {
    fx.workflow(
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: each, kind: transform, role: split, template: [1, 2]}
          - {id: a, kind: transform, template: "{{$item}}"}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: each}
          - {from: each, to: a}
          - {from: a, to: joined}
          - {from: joined, to: done}
        """);

    assertThat(fx.load().workflows()).containsOnlyKeys("x");
  }

  // ---- merge

  @Test
  void load_mergeEnteredOnlyByExhaustedLoop_loadsWithoutProblems() {
    fx.workflow(
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: each, role: split, items: input.list}
          - {id: a, kind: transform, template: "{{$item}}"}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: each}
          - {from: each, to: a}
          - {id: again, from: a, to: a, loop: {max: 2, exhausted: joined}}
          - {from: joined, to: done}
        """);

    assertThat(fx.load().workflows()).containsOnlyKeys("x");
  }

  @Test
  void load_mergeWithoutBranchBefore_reportsMerge() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "{id: joined") + ": node 'joined': no branch or split before this merge");
  }

  @Test
  void load_mergeEnteredFromTwoRegions_reportsBothRegions() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: outer, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: inner, role: branch}
          - {id: b, kind: transform, template: b}
          - {id: c, kind: transform, template: c}
          - {id: joined, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: outer}
          - {from: outer, to: a}
          - {from: outer, to: inner}
          - {from: inner, to: b}
          - {from: inner, to: c}
          - {from: a, to: joined}
          - {from: b, to: joined}
          - {from: c, to: joined}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: joined")
                + ": node 'joined': entered from inside 'outer'"
                + " and from inside 'inner' (each branch or split needs its own merge)");
  }

  // ---- exit

  @Test
  void load_edgeLeavingExit_reportsEdge() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
          - {id: after, role: exit}
        edges:
          - {from: start, to: done}
          - {from: done, to: after}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "{from: done") + ": edge 'done -> after': no edge may leave exit 'done'");
  }

  @Test
  void load_exitInsideBranchBeforeMerge_reportsExit() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: fan, role: branch}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: joined, role: merge}
          - {id: early, role: exit}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fan}
          - {from: fan, to: a}
          - {from: fan, to: b}
          - {from: a, to: joined}
          - {from: b, to: early}
          - {from: joined, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: early")
                + ": node 'early': reached inside 'fan' before"
                + " its merge (every path of 'fan' must reach a merge node before it can exit)");
  }
}
