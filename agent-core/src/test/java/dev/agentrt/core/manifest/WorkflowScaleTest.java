package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large workflows: the graph checks are iterative (no stack overflow on a long chain) and near
 * linear (a 10,000-node branch validates; the time is measured in agent-bench, not asserted here).
 */
class WorkflowScaleTest {
  static final int N = 10_000;

  /**
   * Sub-workflow files in a chain: loaded on a thread with a small stack ({@link #onSmallStack}),
   * enough to overflow a recursive search; few enough to hash quickly (each workflow's hash covers
   * the files it runs, so a chain of n costs n^2 / 2 file digests).
   */
  static final int SUBS = 1_500;

  /** Runs {@code body} on a thread with a 128 KiB stack and returns what it threw, or null. */
  static Throwable onSmallStack(Runnable body) throws InterruptedException {
    Throwable[] thrown = new Throwable[1];
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                thrown[0] = e;
              }
            },
            "small-stack",
            128 * 1024);
    t.start();
    t.join();
    return thrown[0];
  }

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir).maxManifestBytes(16L << 20);
  }

  /** start -> n0 -> n1 -> ... -> n(count-1) -> done, plus {@code extraEdges}. */
  static String chain(int count, String extraEdges) {
    StringBuilder y = new StringBuilder("id: x\nnodes:\n  - {id: start, role: start}\n");
    for (int i = 0; i < count; i++)
      y.append("  - {id: n").append(i).append(", kind: transform, template: v}\n");
    y.append("  - {id: done, role: exit}\nedges:\n  - {from: start, to: n0}\n");
    for (int i = 1; i < count; i++)
      y.append("  - {from: n").append(i - 1).append(", to: n").append(i).append("}\n");
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
    String y =
        chain(N, "  - {from: n9999, to: n9997}\n")
            .replace("  - {from: n9999, to: done}\n", "")
            .replace("  - {id: done, role: exit}\n", "");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            "workflows/x.yml:"
                + at(y, "{from: n9999, to: n9997}")
                + ": edge 'n9999 -> n9997': closes the cycle n9997 -> n9998 -> n9999 -> n9997"
                + " (a back-edge must be bounded: add loop: {max: N, exhausted: <node>})");
  }

  @Test
  void load_branchOfTenThousandPaths_pairsItWithItsMerge() {
    StringBuilder y =
        new StringBuilder(
            "id: x\nnodes:\n  - {id: start, role: start}\n  - {id: fan, role: branch}\n");
    for (int i = 0; i < N; i++)
      y.append("  - {id: p").append(i).append(", kind: transform, template: v}\n");
    y.append(
        "  - {id: join, role: merge}\n  - {id: done, role: exit}\nedges:\n  - {from: start, to: fan}\n");
    for (int i = 0; i < N; i++) {
      y.append("  - {from: fan, to: p")
          .append(i)
          .append("}\n  - {from: p")
          .append(i)
          .append(", to: join}\n");
    }
    y.append("  - {from: join, to: done}\n");
    fx.workflow(y.toString());

    Manifests m = fx.load();

    assertThat(m.workflow("x").orElseThrow().edges()).hasSize(2 * N + 2);
  }

  /** Workflow w0 runs w1 as a sub-workflow, w1 runs w2, ..., and the last runs {@code last}. */
  void subWorkflowChain(int count, String last) {
    for (int i = 0; i < count; i++) {
      String sub = i + 1 < count ? "w" + (i + 1) : last;
      String call = sub == null ? "" : "  - {id: call, kind: workflow, workflow: " + sub + "}\n";
      fx.workflow(
          "w" + i,
          "id: w"
              + i
              + "\nnodes:\n  - {id: start, role: start}\n"
              + call
              + "  - {id: done, role: exit}\nedges:\n"
              + (sub == null
                  ? "  - {from: start, to: done}\n"
                  : "  - {from: start, to: call}\n  - {from: call, to: done}\n"));
    }
  }

  @Test
  void load_longChainOfSubWorkflows_loadsWithoutStackOverflow() throws InterruptedException {
    subWorkflowChain(SUBS, null);
    java.util.concurrent.atomic.AtomicReference<Manifests> loaded =
        new java.util.concurrent.atomic.AtomicReference<>();

    assertThat(onSmallStack(() -> loaded.set(fx.load()))).isNull();
    assertThat(loaded.get().workflows()).hasSize(SUBS);
  }

  @Test
  void load_cycleAtTheEndOfALongSubWorkflowChain_isReportedOnce() throws InterruptedException {
    subWorkflowChain(SUBS, "w" + (SUBS - 2));
    List<String> problems = new java.util.ArrayList<>();

    assertThat(onSmallStack(() -> problems.addAll(fx.problems()))).isNull();
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("workflows/w" + (SUBS - 1) + ".yml:")
        .endsWith(
            "node 'call': sub-workflows call each other in a cycle: w"
                + (SUBS - 2)
                + " -> w"
                + (SUBS - 1)
                + " -> w"
                + (SUBS - 2)
                + " (a workflow cannot run itself, directly or through others)");
  }
}
