package dev.agentrt.core.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The arithmetic of {@link Fusion#fuse}. */
final class FusionMath {
  private FusionMath() {}

  static List<MemoryHit> fuse(Fusion fusion, List<MemoryHit> dense, List<MemoryHit> sparse, int k) {
    Map<List<Object>, Found> found = new LinkedHashMap<>();
    for (int i = 0; i < dense.size(); i++) {
      MemoryHit h = dense.get(i);
      Found f = found.computeIfAbsent(id(h), x -> new Found(h.item()));
      f.denseScore = h.denseScore();
      f.denseRank = i + 1;
    }
    for (int i = 0; i < sparse.size(); i++) {
      MemoryHit h = sparse.get(i);
      Found f = found.computeIfAbsent(id(h), x -> new Found(h.item()));
      f.sparseScore = h.sparseScore();
      f.sparseRank = i + 1;
    }
    double[] dr = range(dense, true);
    double[] sr = range(sparse, false);
    List<MemoryHit> hits = new ArrayList<>(found.size());
    for (Found f : found.values()) {
      double fused;
      if (fusion instanceof Fusion.ReciprocalRank r) {
        fused =
            (f.denseRank == null ? 0 : 1.0 / (r.k() + f.denseRank))
                + (f.sparseRank == null ? 0 : 1.0 / (r.k() + f.sparseRank));
      } else {
        Fusion.Weighted w = (Fusion.Weighted) fusion;
        fused =
            w.denseWeight() * scaled(f.denseScore, dr)
                + w.sparseWeight() * scaled(f.sparseScore, sr);
      }
      hits.add(
          new MemoryHit(f.item, fused, f.denseScore, f.sparseScore, f.denseRank, f.sparseRank));
    }
    hits.sort(Fusion.ORDER);
    return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
  }

  private static List<Object> id(MemoryHit h) {
    return List.of(h.item().space(), h.item().key());
  }

  /** {min, max} of one ranking's scores; {0, 0} for none. */
  private static double[] range(List<MemoryHit> hits, boolean dense) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (MemoryHit h : hits) {
      Double s = dense ? h.denseScore() : h.sparseScore();
      if (s == null) continue;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    return min > max ? new double[] {0, 0} : new double[] {min, max};
  }

  /** Min-max scaling to [0, 1]; every candidate scores 1 when all scores are equal. */
  private static double scaled(@Nullable Double score, double[] range) {
    if (score == null) return 0;
    double span = range[1] - range[0];
    return span == 0 ? 1 : (score - range[0]) / span;
  }

  /** An item found by one or both rankings, while fusing. */
  private static final class Found {
    final MemoryItem item;
    @Nullable Double denseScore;
    @Nullable Double sparseScore;
    @Nullable Integer denseRank;
    @Nullable Integer sparseRank;

    Found(MemoryItem item) {
      this.item = item;
    }
  }
}
