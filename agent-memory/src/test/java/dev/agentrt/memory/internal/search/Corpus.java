package dev.agentrt.memory.internal.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemorySpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus with structure both rankings can use: each item belongs to one of {@code
 * topics} topics; its text draws most words from its topic's vocabulary (Zipf-like) and some from a
 * shared one; its vector is its topic's centroid plus noise, normalized. Queries are made the same
 * way, so relevant items share words and direction with them. Same seed, same corpus.
 */
final class Corpus {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "ba", "di", "fe", "go", "hu",
    "ja", "ke", "ly", "mo", "nu", "pe", "ri", "so", "tu", "wa", "xo", "ye"
  };

  final int dim;
  final List<MemoryItem> items = new ArrayList<>();
  final List<float[]> vectors = new ArrayList<>();
  private final Random random;
  private final List<List<String>> topicWords = new ArrayList<>();
  private final List<String> commonWords = new ArrayList<>();
  private final List<float[]> centroids = new ArrayList<>();

  Corpus(long seed, int size, int topics, int dim, MemorySpace space) {
    this.dim = dim;
    this.random = new Random(seed);
    for (int i = 0; i < 300; i++) commonWords.add(word());
    for (int t = 0; t < topics; t++) {
      List<String> words = new ArrayList<>();
      for (int i = 0; i < 60; i++) words.add(word());
      topicWords.add(words);
      centroids.add(unit(gaussian()));
    }
    for (int i = 0; i < size; i++) {
      int topic = random.nextInt(topics);
      ObjectNode meta = JsonNodeFactory.instance.objectNode();
      meta.put("topic", topic);
      meta.put("lang", i % 10 == 0 ? "fr" : "en");
      items.add(
          new MemoryItem(
              space,
              String.format("item-%05d", i),
              text(topic, 12 + random.nextInt(30)),
              meta,
              i % 7 == 0 ? List.of("pinned") : List.of(),
              T,
              T));
      vectors.add(near(topic, 0.9f));
    }
  }

  /** A query: some words and a direction of topic {@code topic}. */
  Query query(int topic) {
    return new Query(text(topic, 3 + random.nextInt(3)), near(topic, 0.9f));
  }

  int topics() {
    return centroids.size();
  }

  record Query(String text, float[] vector) {}

  private String text(int topic, int words) {
    StringBuilder sb = new StringBuilder();
    List<String> own = topicWords.get(topic);
    for (int w = 0; w < words; w++) {
      if (sb.length() > 0) sb.append(' ');
      List<String> from = random.nextInt(10) < 6 ? own : commonWords;
      // Zipf-like: low indexes are much more frequent
      double u = random.nextDouble();
      int idx = (int) Math.floor(Math.pow(from.size() + 1, u)) - 1;
      sb.append(from.get(Math.min(idx, from.size() - 1)));
    }
    return sb.toString();
  }

  private String word() {
    StringBuilder sb = new StringBuilder();
    int n = 2 + random.nextInt(3);
    for (int i = 0; i < n; i++) sb.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    return sb.toString();
  }

  private float[] near(int topic, float noise) {
    float[] c = centroids.get(topic);
    float[] g = unit(gaussian());
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = c[i] + noise * g[i];
    return unit(v);
  }

  private float[] gaussian() {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = (float) random.nextGaussian();
    return v;
  }

  static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) sum += (double) x * x;
    double norm = Math.sqrt(sum);
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
    return u;
  }
}
