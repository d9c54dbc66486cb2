package dev.agentrt.llm.router;

import dev.agentrt.core.memory.Embedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Ranks a request against a fixed set of {@link RouteCandidate}s by semantic similarity.
 *
 * <p>Each candidate is represented by its examples and by one profile text, its description (its
 * edge name when it has none) followed by its tags. The candidate's centroid is the mean of their
 * vectors, and its similarity to a request is {@code 1 - |q - centroid|² / 2} for the request's
 * unit vector {@code q}: the cosine similarity when the candidate has one text, and otherwise the
 * mean cosine to its texts corrected by how much they agree among themselves, so that a route with
 * a few tight examples and one with broad examples compete fairly (measured on the triage
 * workflow's labelled set, this ranks far better than the highest cosine to any one text). The
 * scores are the softmax of the similarities divided by a temperature of {@value #TEMPERATURE}, so
 * they sum to 1 and the best candidate's score is the ranking's confidence. A recommendation's
 * reason names the candidate's text closest to the request.
 *
 * <p>The candidates are embedded once, in one batch, by the constructor; {@link #rank(String)}
 * embeds only the request. Immutable and thread-safe: one instance may rank from many threads.
 * Deterministic: the same request, candidates and model give the same ranking.
 *
 * @since 0.1
 */
public final class RouteRanker {
  /** The softmax temperature: lower values sharpen the scores of near-equal similarities. */
  public static final double TEMPERATURE = 0.05;

  private final Embedder embedder;
  private final List<RouteCandidate> candidates;

  /** Per candidate: its profile text (index 0) and its examples (from index 1). */
  private final List<List<String>> texts;

  /** Per candidate: the vectors of {@link #texts}, in the same order. */
  private final List<List<float[]>> vectors;

  /** Per candidate: the mean of its {@link #vectors}. */
  private final List<float[]> centroids;

  /** Per candidate: {@code (1 - |centroid|²) / 2}, the constant part of its similarity. */
  private final double[] offsets;

  /**
   * Embeds the candidates with {@code embedder} (one batch).
   *
   * @param embedder the model that embeds candidates and requests; kept for {@link #rank(String)}
   * @param candidates the candidates, in any order
   * @throws NullPointerException if an argument or a candidate is null
   * @throws IllegalArgumentException if two candidates have the same edge name
   */
  public RouteRanker(Embedder embedder, List<RouteCandidate> candidates) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.candidates = List.copyOf(candidates);
    Set<String> seen = new HashSet<>();
    List<String> all = new ArrayList<>();
    List<List<String>> perCandidate = new ArrayList<>();
    for (RouteCandidate c : this.candidates) {
      if (!seen.add(c.edge()))
        throw new IllegalArgumentException("two candidates have the edge name '" + c.edge() + "'");
      List<String> own = new ArrayList<>();
      own.add(profile(c));
      own.addAll(c.examples());
      perCandidate.add(List.copyOf(own));
      all.addAll(own);
    }
    this.texts = List.copyOf(perCandidate);
    List<float[]> embedded = all.isEmpty() ? List.of() : embedder.embed(all);
    if (embedded.size() != all.size())
      throw new IllegalStateException(
          "embedder "
              + embedder.model()
              + " returned "
              + embedded.size()
              + " vectors for "
              + all.size()
              + " texts");
    List<List<float[]>> byCandidate = new ArrayList<>();
    int k = 0;
    for (List<String> own : perCandidate) {
      List<float[]> v = new ArrayList<>(own.size());
      for (int i = 0; i < own.size(); i++) v.add(embedded.get(k++).clone());
      byCandidate.add(List.copyOf(v));
    }
    this.vectors = List.copyOf(byCandidate);
    List<float[]> means = new ArrayList<>(byCandidate.size());
    this.offsets = new double[byCandidate.size()];
    for (int c = 0; c < byCandidate.size(); c++) {
      List<float[]> vs = byCandidate.get(c);
      double[] sum = new double[vs.get(0).length];
      for (float[] v : vs) for (int i = 0; i < Math.min(sum.length, v.length); i++) sum[i] += v[i];
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) mean[i] = (float) (sum[i] / vs.size());
      means.add(mean);
      offsets[c] = (1 - dot(mean, mean)) / 2;
    }
    this.centroids = List.copyOf(means);
  }

  /** The candidates, in the order given to the constructor. */
  public List<RouteCandidate> candidates() {
    return candidates;
  }

  /** The name of the embedding model. */
  public String model() {
    return embedder.model();
  }

  /**
   * Ranks {@code text} against the candidates.
   *
   * @param text the request
   * @return every candidate, best first (equal scores by edge name); an empty ranking with
   *     confidence 0 when there are no candidates
   * @throws NullPointerException if {@code text} is null
   */
  public Ranking rank(String text) {
    Objects.requireNonNull(text, "text");
    if (candidates.isEmpty()) return new Ranking(List.of(), 0.0, embedder.model());
    float[] q = embedder.embed(text);
    int n = candidates.size();
    double[] similarity = new double[n];
    int[] closest = new int[n];
    double[] closeness = new double[n];
    for (int c = 0; c < n; c++) {
      List<float[]> vs = vectors.get(c);
      double best = Double.NEGATIVE_INFINITY;
      int at = 0;
      for (int i = 0; i < vs.size(); i++) {
        double s = dot(q, vs.get(i));
        if (s > best) {
          best = s;
          at = i;
        }
      }
      // 1 - |q - m|²/2 = q·m + (1 - |m|²)/2 for a unit q
      similarity[c] = dot(q, centroids.get(c)) + offsets[c];
      closest[c] = at;
      closeness[c] = best;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : similarity) max = Math.max(max, s);
    double[] weight = new double[n];
    double sum = 0;
    for (int c = 0; c < n; c++) {
      weight[c] = Math.exp((similarity[c] - max) / TEMPERATURE);
      sum += weight[c];
    }
    List<Recommendation> out = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      RouteCandidate cand = candidates.get(c);
      out.add(
          new Recommendation(
              cand.edge(), cand.to(), weight[c] / sum, reason(c, closest[c], closeness[c])));
    }
    out.sort(
        Comparator.comparingDouble(Recommendation::score)
            .reversed()
            .thenComparing(Recommendation::edge));
    return new Ranking(out, out.get(0).score(), embedder.model());
  }

  private String reason(int candidate, int closest, double similarity) {
    RouteCandidate c = candidates.get(candidate);
    String sim = String.format(Locale.ROOT, "%.2f", similarity);
    String why =
        closest == 0
            ? (c.description() != null && !c.description().isBlank()
                ? "description (" + sim + ")"
                : "edge name (" + sim + ")")
            : "closest example '" + texts.get(candidate).get(closest) + "' (" + sim + ")";
    return c.tags().isEmpty() ? why : why + "; tags " + String.join(", ", c.tags());
  }

  /** The text standing for a candidate besides its examples: description (or name) and tags. */
  static String profile(RouteCandidate c) {
    String d = c.description();
    String head =
        d != null && !d.isBlank() ? d.strip() : c.edge().replace('_', ' ').replace('-', ' ');
    return c.tags().isEmpty() ? head : head + " (" + String.join(", ", c.tags()) + ")";
  }

  private static double dot(float[] a, float[] b) {
    int len = Math.min(a.length, b.length);
    double s = 0;
    for (int i = 0; i < len; i++) s += (double) a[i] * b[i];
    return s;
  }
}
