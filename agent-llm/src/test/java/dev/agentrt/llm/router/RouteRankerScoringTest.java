package dev.agentrt.llm.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentrt.core.memory.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How RouteRanker scores, on hand-made two-dimensional vectors. */
class RouteRankerScoringTest {
  static final String REQUEST = "request";

  /** Maps each known text to a unit vector at the given angle (degrees). */
  static Embedder angles(Map<String, Double> degrees) {
    return new Embedder() {
      @Override
      public String model() {
        return "angles";
      }

      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
          double a = Math.toRadians(degrees.get(t));
          out.add(new float[] {(float) Math.cos(a), (float) Math.sin(a)});
        }
        return out;
      }
    };
  }

  @Test
  void rank_examplesThatAgreeNearTheRequest_beatOneCloseExampleBesideAFarProfile() {
    // "a": one example 10° from the request but its profile 90° away; "b": profile and two
    // examples all 20-30° away. The highest single cosine favours "a"; the centroid favours "b".
    Embedder e =
        angles(
            Map.of(
                REQUEST, 0.0, "A (x)", 90.0, "a1", 10.0, "B (y)", -30.0, "b1", 30.0, "b2", -20.0));
    RouteRanker ranker =
        new RouteRanker(
            e,
            List.of(
                new RouteCandidate("a", "na", "A", List.of("x"), List.of("a1")),
                new RouteCandidate("b", "nb", "B", List.of("y"), List.of("b1", "b2"))));

    Ranking r = ranker.rank(REQUEST);

    assertThat(r.recommendations()).extracting(Recommendation::edge).containsExactly("b", "a");
    // the reason still names the text closest to the request
    assertThat(r.recommendations().get(1).reason())
        .isEqualTo("closest example 'a1' (0.98); tags x");
    assertThat(r.recommendations().get(0).reason())
        .isEqualTo("closest example 'b2' (0.94); tags y");
  }

  @Test
  void rank_candidateWithOneText_scoresItsCosine() {
    // one text each: the similarity is the cosine, so the scores are the softmax of the cosines
    Embedder e = angles(Map.of(REQUEST, 0.0, "near", 0.0, "far", 60.0));
    RouteRanker ranker =
        new RouteRanker(
            e,
            List.of(
                new RouteCandidate("near", "n1", "near", List.of(), List.of()),
                new RouteCandidate("far", "n2", "far", List.of(), List.of())));

    Ranking r = ranker.rank(REQUEST);

    double near = Math.exp(1.0 / RouteRanker.TEMPERATURE);
    double far = Math.exp(0.5 / RouteRanker.TEMPERATURE);
    assertThat(r.confidence()).isCloseTo(near / (near + far), within(1e-6));
    assertThat(r.recommendations().get(0).reason()).isEqualTo("description (1.00)");
  }
}
