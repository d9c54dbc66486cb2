package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large workflows: the graph checks are iterative (no stack overflow on a long chain) and near
 * linear (a 10,000-node branch validates; the time is measured in agent-bench, not asserted here).
 */
class WorkflowScaleTest {
  static final int N = 10_000;

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir).maxManifestBytes(16L << 20);
  }

  /** start -> n0 -> n1 -> ... -> n(count-1) -> done, plus {@code extraEdges}. */
  static String chain(int count, String extraEdges) {
    StringBuilder y = new StringBuilder("id: x\nnodes:\n  - {id: start, role: start}\n");
    for (int i = 0; i < count; i++) y.append("  - {id: n").append(i).append(", kind: transform, template: v}\n");
    y.append("  - {id: done, role: exit}\nedges:\n  - {from: start, to: n0}\n");
    for (int i = 1; i < count; i++) y.append("  - {from: n").append(i - 1).append(", to: n").append(i).append("}\n");
    y.append("  - {from: n").append(count - 1).append(", to: done}\n").append(extraEdges);
    return y.toString();
  }

  @Test
  void load_chainOfTenThousandNodes_loadsWithoutStackOverflow() {
    fx.workflow(chain(N, ""));

    assertThat(fx.load().workflow("x").orElseThrow().nodes()).hasSize(N + 2);
  }

  @Test
  void load_cycleAtTheEndOfALongChain_reportsTheWholeCycle() {
    String y = chain(N, "  - {from: n9999, to: n9997}\n").replace("  - {from: n9999, to: done}\n", "")
        .replace("  - {id: done, role: exit}\n", "");
    fx.workflow(y);

    assertThat(fx.problems()).containsExactly("workflows/x.yml:" + at(y, "{from: n9999, to: n9997}")
        + ": edge 'n9999 -> n9997': closes the cycle n9997 -> n9998 -> n9999 -> n9997"
        + " (a back-edge must be bounded: add loop: {max: N, exhausted: <node>})");
  }

  @Test
  void load_branchOfTenThousandPaths_pairsItWithItsMerge() {
    StringBuilder y = new StringBuilder("id: x\nnodes:\n  - {id: start, role: start}\n  - {id: fan, role: branch}\n");
    for (int i = 0; i < N; i++) y.append("  - {id: p").append(i).append(", kind: transform, template: v}\n");
    y.append("  - {id: join, role: merge}\n  - {id: done, role: exit}\nedges:\n  - {from: start, to: fan}\n");
    for (int i = 0; i < N; i++) {
      y.append("  - {from: fan, to: p").append(i).append("}\n  - {from: p").append(i).append(", to: join}\n");
    }
    y.append("  - {from: join, to: done}\n");
    fx.workflow(y.toString());

    Manifests m = fx.load();

    assertThat(m.workflow("x").orElseThrow().edges()).hasSize(2 * N + 2);
  }
}
