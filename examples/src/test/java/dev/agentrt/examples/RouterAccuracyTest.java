package dev.agentrt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.embeddings.MiniLmEmbedder;
import dev.agentrt.llm.router.Ranking;
import dev.agentrt.llm.router.Recommendation;
import dev.agentrt.llm.router.RouteCandidate;
import dev.agentrt.llm.router.RouteRanker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accuracy of the embedded router on the triage workflow ({@code .agent/workflows/triage.yml}):
 * its dispatcher's edges, loaded by the real manifest loader, ranked by {@link RouteRanker} over
 * the in-process MiniLM model, against two labelled sets of requests.
 *
 * <ul>
 *   <li>{@code .agent/evals/router/requests.yml}: the set the edges' descriptions and examples (and
 *       RouteRanker's scoring) were tuned on; it must reach top-1 0.90 and top-3 0.98 (issue 12).
 *   <li>{@code src/test/resources/router/heldout.yml}: written before the edges and never tuned on;
 *       its numbers are printed as they are, and asserted only against a low floor that catches a
 *       broken model or ranker, not a target.
 * </ul>
 *
 * <p>Each test prints top-1 and top-3 accuracy, the misses (expected route, ranked first, score,
 * request) and a confusion table (rows: expected, columns: ranked first).
 */
class RouterAccuracyTest {
  static final Path AGENT = Path.of("../.agent");
  static final Path LABELLED = AGENT.resolve("evals/router/requests.yml");
  static final Path HELD_OUT = Path.of("src/test/resources/router/heldout.yml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One labelled request. */
  record Labelled(String request, String route) {}

  static List<RouteCandidate> candidates;
  static RouteRanker ranker;

  @BeforeAll
  static void loadRouter() {
    WorkflowSpec triage =
        ManifestLoader.ofDefaults().load(AGENT).orThrow().workflow("triage").orElseThrow();
    candidates = candidates(triage);
    ranker = new RouteRanker(new MiniLmEmbedder(), candidates);
  }

  /**
   * The router's candidates in inform mode: the edges with {@code when:} of the decision node that
   * the {@code kind: router} node's single edge enters.
   */
  static List<RouteCandidate> candidates(WorkflowSpec wf) {
    String router =
        wf.nodes().stream().filter(n -> "router".equals(n.kind())).findFirst().orElseThrow().id();
    List<EdgeSpec> out = wf.edges().stream().filter(e -> e.from().equals(router)).toList();
    assertThat(out).as("the inform-mode router has one edge").hasSize(1);
    String decision = out.get(0).to();
    assertThat(wf.node(decision).orElseThrow().roleOrDefault()).isEqualTo(Role.DECISION);
    List<RouteCandidate> list = new ArrayList<>();
    for (EdgeSpec e : wf.edges()) {
      if (!e.from().equals(decision) || e.when() == null || e.isErrorEdge()) continue;
      list.add(
          new RouteCandidate(
              e.when(), e.to(), e.description(), e.tagsOrEmpty(), e.examplesOrEmpty()));
    }
    return list;
  }

  @Test
  void labelledSet_rankedByTheTriageRouter_meetsTop1AndTop3Targets() throws IOException {
    Accuracy a = measure("labelled set " + LABELLED, read(LABELLED));

    assertThat(a.top1()).as("top-1 accuracy of the labelled set").isGreaterThanOrEqualTo(0.90);
    assertThat(a.top3()).as("top-3 accuracy of the labelled set").isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void heldOutSet_rankedByTheTriageRouter_isReportedAndAboveAFloor() throws IOException {
    Accuracy a = measure("held-out set " + HELD_OUT, read(HELD_OUT));

    // a floor well below the measured numbers (see agent-bench/README.md): it fails when the model
    // or the ranker is broken (6 routes: chance is top-1 0.17, top-3 0.5), not when it is merely
    // worse than on the labelled set
    assertThat(a.top1()).as("top-1 accuracy of the held-out set").isGreaterThanOrEqualTo(0.5);
    assertThat(a.top3()).as("top-3 accuracy of the held-out set").isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void labelledSets_coverEveryRoute_andNoExampleCopiesARequest() throws IOException {
    List<Labelled> labelled = read(LABELLED);
    List<Labelled> heldOut = read(HELD_OUT);
    Set<String> routes = new HashSet<>();
    for (RouteCandidate c : candidates) routes.add(c.edge());

    assertThat(routes).hasSizeBetween(6, 8);
    assertThat(labelled).hasSizeGreaterThanOrEqualTo(80);
    assertThat(heldOut).hasSizeGreaterThanOrEqualTo(40);
    for (String route : routes) {
      assertThat(labelled.stream().filter(l -> l.route().equals(route)).count())
          .as("labelled requests for route " + route)
          .isGreaterThanOrEqualTo(10);
      assertThat(heldOut.stream().filter(l -> l.route().equals(route)).count())
          .as("held-out requests for route " + route)
          .isGreaterThanOrEqualTo(5);
    }
    assertThat(labelled).extracting(Labelled::route).allMatch(routes::contains);
    assertThat(heldOut).extracting(Labelled::route).allMatch(routes::contains);
    Set<String> requests = new HashSet<>();
    for (Labelled l : labelled) requests.add(normal(l.request()));
    for (Labelled l : heldOut) requests.add(normal(l.request()));
    for (RouteCandidate c : candidates) {
      assertThat(c.examples()).as("examples of " + c.edge()).hasSizeBetween(3, 6);
      assertThat(c.description()).as("description of " + c.edge()).isNotBlank();
      assertThat(c.tags()).as("tags of " + c.edge()).isNotEmpty();
      for (String example : c.examples()) {
        assertThat(requests)
            .as("a labelled request equal to an example")
            .doesNotContain(normal(example));
      }
    }
  }

  /** Top-1 and top-3 accuracy. */
  record Accuracy(double top1, double top3) {}

  static Accuracy measure(String name, List<Labelled> set) {
    int top1 = 0;
    int top3 = 0;
    StringBuilder misses = new StringBuilder();
    Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    for (Labelled l : set) {
      Ranking r = ranker.rank(l.request());
      List<Recommendation> recs = r.recommendations();
      Recommendation first = recs.get(0);
      confusion
          .computeIfAbsent(l.route(), k -> new TreeMap<>())
          .merge(first.edge(), 1, Integer::sum);
      if (first.edge().equals(l.route())) top1++;
      else {
        int rank = 0;
        while (rank < recs.size() && !recs.get(rank).edge().equals(l.route())) rank++;
        misses.append(
            String.format(
                Locale.ROOT,
                "  %-12s -> %-12s (%.2f; expected ranked %d) %s%n",
                l.route(),
                first.edge(),
                first.score(),
                rank + 1,
                l.request()));
      }
      for (int i = 0; i < Math.min(3, recs.size()); i++) {
        if (recs.get(i).edge().equals(l.route())) top3++;
      }
    }
    Accuracy a = new Accuracy(top1 / (double) set.size(), top3 / (double) set.size());
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "router accuracy, %s: %d requests, %d routes, model %s%n  top-1 %.3f (%d), top-3 %.3f (%d)%n",
            name,
            set.size(),
            candidates.size(),
            ranker.model(),
            a.top1(),
            top1,
            a.top3(),
            top3));
    out.append(misses.length() == 0 ? "  no misses\n" : "  misses (expected -> ranked first):\n")
        .append(misses);
    out.append("  confusion (rows expected, columns ranked first):\n");
    out.append(String.format(Locale.ROOT, "  %-13s", ""));
    for (RouteCandidate c : candidates) out.append(String.format(Locale.ROOT, "%13s", c.edge()));
    out.append('\n');
    for (RouteCandidate row : candidates) {
      out.append(String.format(Locale.ROOT, "  %-13s", row.edge()));
      Map<String, Integer> counts = confusion.getOrDefault(row.edge(), Map.of());
      for (RouteCandidate col : candidates) {
        out.append(String.format(Locale.ROOT, "%13d", counts.getOrDefault(col.edge(), 0)));
      }
      out.append('\n');
    }
    System.out.print(out);
    return a;
  }

  static List<Labelled> read(Path file) throws IOException {
    return YAML.readValue(file.toFile(), new TypeReference<List<Labelled>>() {});
  }

  private static String normal(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
