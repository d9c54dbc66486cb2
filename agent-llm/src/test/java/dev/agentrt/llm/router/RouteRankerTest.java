package dev.agentrt.llm.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentrt.core.memory.Embedder;
import dev.agentrt.embeddings.MiniLmEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouteRankerTest {
  private static Embedder model;
  private static RouteRanker ranker;

  static final List<RouteCandidate> CANDIDATES =
      List.of(
          new RouteCandidate(
              "code",
              "coder",
              "Change source code - add a feature, fix a bug, refactor",
              List.of("code"),
              List.of(
                  "Add a --verbose flag to the CLI",
                  "Fix the null pointer when the config file is empty")),
          new RouteCandidate(
              "docs",
              "writer",
              "Write or fix documentation, README and guides",
              List.of("docs"),
              List.of("Document the new configuration options in the README")),
          new RouteCandidate(
              "research",
              "researcher",
              "Answer a research question by reading papers and the web",
              List.of(),
              List.of()),
          new RouteCandidate("out_of_scope", "human", null, List.of(), List.of()));

  @BeforeAll
  static void load() {
    model = new MiniLmEmbedder();
    ranker = new RouteRanker(model, CANDIDATES);
  }

  @Test
  void rank_requestLikeAnExample_recommendsThatEdgeFirstNamingTheExample() {
    Ranking r = ranker.rank("Add a --quiet flag to the command line tool");

    Recommendation top = r.recommendations().get(0);
    assertThat(top.edge()).isEqualTo("code");
    assertThat(top.to()).isEqualTo("coder");
    assertThat(top.reason()).startsWith("closest example 'Add a --verbose flag to the CLI' (0.");
    assertThat(top.reason()).endsWith("; tags code");
    assertThat(r.confidence()).isEqualTo(top.score()).isGreaterThan(0.5);
    assertThat(r.model()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void rank_requestLikeADescription_recommendsThatEdgeNamingTheDescription() {
    Ranking r = ranker.rank("What do recent papers say about retrieval augmented generation?");

    assertThat(r.recommendations().get(0).edge()).isEqualTo("research");
    assertThat(r.recommendations().get(0).reason()).matches("description \\(0\\.\\d\\d\\)");
  }

  @Test
  void rank_anyRequest_listsEveryCandidateBestFirstWithScoresSummingToOne() {
    Ranking r = ranker.rank("Update the guide about installing on Windows");

    assertThat(r.recommendations())
        .extracting(Recommendation::edge)
        .containsExactlyInAnyOrder("code", "docs", "research", "out_of_scope");
    assertThat(r.recommendations().get(0).edge()).isEqualTo("docs");
    assertThat(r.recommendations().stream().mapToDouble(Recommendation::score).sum())
        .isCloseTo(1.0, within(1e-9));
    for (int i = 1; i < r.recommendations().size(); i++)
      assertThat(r.recommendations().get(i).score())
          .isLessThanOrEqualTo(r.recommendations().get(i - 1).score());
  }

  @Test
  void rank_sameRequestTwice_sameRanking() {
    assertThat(ranker.rank("Fix the crash on startup"))
        .isEqualTo(ranker.rank("Fix the crash on startup"));
    assertThat(new RouteRanker(model, CANDIDATES).rank("Fix the crash on startup"))
        .isEqualTo(ranker.rank("Fix the crash on startup"));
  }

  @Test
  void rank_equalScores_orderedByEdgeName() {
    Embedder constant = fixed(new AtomicInteger());
    RouteRanker r =
        new RouteRanker(
            constant,
            List.of(
                new RouteCandidate("b", "nb", "x", List.of(), List.of()),
                new RouteCandidate("a", "na", "y", List.of(), List.of())));

    Ranking ranking = r.rank("anything");

    assertThat(ranking.recommendations())
        .extracting(Recommendation::edge)
        .containsExactly("a", "b");
    assertThat(ranking.confidence()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void constructor_embedsTheCandidatesOnceInOneBatch_rankEmbedsOnlyTheRequest() {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> sizes = new ArrayList<>();
    Embedder counting =
        new Embedder() {
          @Override
          public String model() {
            return model.model();
          }

          @Override
          public int dimension() {
            return model.dimension();
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            calls.incrementAndGet();
            sizes.add(texts.size());
            return model.embed(texts);
          }
        };

    RouteRanker r = new RouteRanker(counting, CANDIDATES);
    r.rank("one");
    r.rank("two");

    // 4 profiles + 3 examples in one batch, then one text per request
    assertThat(sizes).containsExactly(7, 1, 1);
  }

  @Test
  void constructor_duplicateEdgeName_isRefused() {
    RouteCandidate a = new RouteCandidate("a", "x", null, List.of(), List.of());

    assertThatThrownBy(() -> new RouteRanker(fixed(new AtomicInteger()), List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two candidates have the edge name 'a'");
  }

  @Test
  void rank_noCandidates_emptyRankingWithZeroConfidence() {
    Ranking r = new RouteRanker(fixed(new AtomicInteger()), List.of()).rank("x");

    assertThat(r.recommendations()).isEmpty();
    assertThat(r.confidence()).isZero();
  }

  /** Gives every text the same unit vector. */
  static Embedder fixed(AtomicInteger calls) {
    return new Embedder() {
      @Override
      public String model() {
        return "fixed";
      }

      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) out.add(new float[] {1f, 0f});
        return out;
      }
    };
  }
}
