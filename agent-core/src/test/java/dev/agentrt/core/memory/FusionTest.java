package dev.agentrt.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  private static MemoryItem item(MemorySpace space, String key) {
    return new MemoryItem(space, key, "text of " + key, null, null, T, T);
  }

  private static MemoryItem item(String key) {
    return item(MemorySpace.project("p"), key);
  }

  private static MemoryHit dense(MemoryItem item, double score) {
    return new MemoryHit(item, score, score, null, null, null);
  }

  private static MemoryHit sparse(MemoryItem item, double score) {
    return new MemoryHit(item, score, null, score, null, null);
  }

  private static List<String> keys(List<MemoryHit> hits) {
    List<String> keys = new ArrayList<>();
    for (MemoryHit h : hits) keys.add(h.item().key());
    return keys;
  }

  private final MemoryItem a = item("a");
  private final MemoryItem b = item("b");
  private final MemoryItem c = item("c");
  private final MemoryItem d = item("d");

  // dense: a, b, c; sparse: c, a, d
  private final List<MemoryHit> denseList = List.of(dense(a, 0.9), dense(b, 0.5), dense(c, 0.1));
  private final List<MemoryHit> sparseList =
      List.of(sparse(c, 10.0), sparse(a, 4.0), sparse(d, 2.0));

  @Test
  void rrf_twoRankings_sumsOneOverSixtyPlusRank() {
    List<MemoryHit> hits = Fusion.rrf().fuse(denseList, sparseList, 10);

    // a: 1/(60+1) + 1/(60+2); c: 1/(60+3) + 1/(60+1); b: 1/(60+2); d: 1/(60+3)
    assertThat(keys(hits)).containsExactly("a", "c", "b", "d");
    assertThat(hits.get(0).fusedScore()).isEqualTo(1.0 / 61 + 1.0 / 62);
    assertThat(hits.get(1).fusedScore()).isEqualTo(1.0 / 63 + 1.0 / 61);
    assertThat(hits.get(2).fusedScore()).isEqualTo(1.0 / 62);
    assertThat(hits.get(3).fusedScore()).isEqualTo(1.0 / 63);
  }

  @Test
  void rrf_hits_carryBothScoresAndRanksWhereFound() {
    List<MemoryHit> hits = Fusion.rrf().fuse(denseList, sparseList, 10);

    assertThat(hits.get(0)).isEqualTo(new MemoryHit(a, 1.0 / 61 + 1.0 / 62, 0.9, 4.0, 1, 2));
    assertThat(hits.get(1)).isEqualTo(new MemoryHit(c, 1.0 / 63 + 1.0 / 61, 0.1, 10.0, 3, 1));
    assertThat(hits.get(2)).isEqualTo(new MemoryHit(b, 1.0 / 62, 0.5, null, 2, null));
    assertThat(hits.get(3)).isEqualTo(new MemoryHit(d, 1.0 / 63, null, 2.0, null, 3));
  }

  @Test
  void rrf_smallerConstant_weighsTopRanksMore() {
    List<MemoryHit> hits = new Fusion.ReciprocalRank(1).fuse(denseList, sparseList, 10);

    // a: 1/2 + 1/3 = 0.8333; c: 1/4 + 1/2 = 0.75; b: 1/3; d: 1/4
    assertThat(keys(hits)).containsExactly("a", "c", "b", "d");
    assertThat(hits.get(0).fusedScore()).isEqualTo(1.0 / 2 + 1.0 / 3);
    assertThat(hits.get(1).fusedScore()).isEqualTo(1.0 / 4 + 1.0 / 2);
  }

  @Test
  void fuse_moreCandidatesThanK_keepsTheBestK() {
    assertThat(keys(Fusion.rrf().fuse(denseList, sparseList, 2))).containsExactly("a", "c");
  }

  @Test
  void fuse_oneRankingEmpty_ranksByTheOther() {
    List<MemoryHit> hits = Fusion.rrf().fuse(List.of(), sparseList, 10);

    assertThat(keys(hits)).containsExactly("c", "a", "d");
    assertThat(hits.get(0)).isEqualTo(new MemoryHit(c, 1.0 / 61, null, 10.0, null, 1));
  }

  @Test
  void fuse_bothEmpty_noHits() {
    assertThat(Fusion.rrf().fuse(List.of(), List.of(), 10)).isEmpty();
  }

  @Test
  void weighted_scalesEachRankingMinMaxThenWeighs() {
    List<MemoryHit> hits = new Fusion.Weighted(0.7, 0.3).fuse(denseList, sparseList, 10);

    // dense scaled over [0.1, 0.9]: a 1, b 0.5, c 0; sparse over [2, 10]: c 1, a 0.25, d 0
    // a: 0.7*1 + 0.3*0.25 = 0.775; b: 0.7*0.5 = 0.35; c: 0.3*1 = 0.3; d: 0
    assertThat(keys(hits)).containsExactly("a", "b", "c", "d");
    assertThat(hits.get(0).fusedScore()).isCloseTo(0.775, within(1e-12));
    assertThat(hits.get(1).fusedScore()).isCloseTo(0.35, within(1e-12));
    assertThat(hits.get(2).fusedScore()).isCloseTo(0.3, within(1e-12));
    assertThat(hits.get(3).fusedScore()).isEqualTo(0.0);
    assertThat(hits.get(0).denseScore()).isEqualTo(0.9);
    assertThat(hits.get(0).sparseScore()).isEqualTo(4.0);
  }

  @Test
  void weighted_allScoresOfARankingEqual_eachScalesToOne() {
    List<MemoryHit> hits =
        new Fusion.Weighted(1, 2)
            .fuse(List.of(dense(a, 0.4), dense(b, 0.4)), List.of(sparse(b, 3.0)), 10);

    // dense: a 1, b 1; sparse: b 1 -> b: 1 + 2 = 3, a: 1
    assertThat(keys(hits)).containsExactly("b", "a");
    assertThat(hits.get(0).fusedScore()).isEqualTo(3.0);
    assertThat(hits.get(1).fusedScore()).isEqualTo(1.0);
  }

  @Test
  void fuse_equalScores_orderedByScopeThenOwnerThenKey() {
    MemoryItem globalA = item(MemorySpace.global(), "a");
    MemoryItem taskZ = item(MemorySpace.task("run-2"), "z");
    MemoryItem taskY = item(MemorySpace.task("run-1"), "y");
    MemoryItem taskX = item(MemorySpace.task("run-1"), "x");
    // globalA and taskY score 1/(60+1) (rank 1 in one list), taskZ and taskX 1/(60+2)
    List<MemoryHit> denseHits = List.of(dense(globalA, 1), dense(taskZ, 1));
    List<MemoryHit> sparseHits = List.of(sparse(taskY, 1), sparse(taskX, 1));

    List<MemoryHit> hits = Fusion.rrf().fuse(denseHits, sparseHits, 10);

    // equal scores: task before global; within task, owner run-1 before run-2
    assertThat(hits)
        .extracting(h -> h.item().space().owner() + "/" + h.item().key())
        .containsExactly("run-1/y", "global/a", "run-1/x", "run-2/z");
  }

  @Test
  void fuse_tiesAcrossScopes_taskBeforeProjectBeforeGlobal() {
    MemoryItem g = item(MemorySpace.global(), "k");
    MemoryItem p = item(MemorySpace.project("p"), "k");
    MemoryItem t = item(MemorySpace.task("r"), "k");

    List<MemoryHit> hits =
        new Fusion.Weighted(1, 0)
            .fuse(List.of(dense(g, 0.5), dense(p, 0.5), dense(t, 0.5)), List.of(), 10);

    assertThat(hits)
        .extracting(h -> h.item().space().scope())
        .containsExactly(MemoryScope.TASK, MemoryScope.PROJECT, MemoryScope.GLOBAL);
  }

  @Test
  void weighted_bothWeightsZero_isRejectedNamingBoth() {
    assertThatThrownBy(() -> new Fusion.Weighted(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dense_weight and sparse_weight must be at least 0 and not both 0, got 0.0 and 0.0");
  }

  @Test
  void rrf_constantBelowOne_isRejected() {
    assertThatThrownBy(() -> new Fusion.ReciprocalRank(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rrf_k must be at least 1, got 0");
  }
}
