package dev.agentrt.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.inspector.AgentInspector.Mode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run view of parallel lanes (branch and split) and of a router that informs a decision. */
class InspectorRunViewTest {
  @TempDir Path tmp;

  static JsonNode get(AgentInspector inspector, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(inspector.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  static List<String> field(JsonNode array, String name) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(name).asText()));
    return out;
  }

  @Test
  void releaseNotes_branchAndSplitSteps_inLanesLabelledByTheirFork() throws Exception {
    try (AgentRuntime rt = InspectorFixture.runtime(tmp);
        AgentInspector inspector = AgentInspector.builder(rt).port(0).mode(Mode.DEBUG).start()) {
      RunResult r =
          rt.run(
              "release-notes",
              Map.of("title", "Faster startup", "kind", "feature", "changes", List.of("a", "b")));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);

      JsonNode body = get(inspector, "/api/runs/" + r.runId());

      assertThat(body.path("lanes").toString())
          .isEqualTo(
              "[{\"id\":\"\",\"label\":\"main\"},"
                  + "{\"id\":\"fanout#0[summary]/\",\"label\":\"fanout → summary\"},"
                  + "{\"id\":\"fanout#0[labels]/\",\"label\":\"fanout → labels\"},"
                  + "{\"id\":\"each_change#0[0]/\",\"label\":\"each_change item 0\"},"
                  + "{\"id\":\"each_change#0[1]/\",\"label\":\"each_change item 1\"}]");
      Map<String, String> laneOf = new java.util.LinkedHashMap<>();
      body.path("steps").forEach(s -> laneOf.put(s.path("key").asText(), s.path("lane").asText()));
      assertThat(laneOf)
          .containsEntry("fanout#0[summary]/summary#0", "fanout#0[summary]/")
          .containsEntry("each_change#0[1]/render#0", "each_change#0[1]/")
          .containsEntry("joined#0", "");
      assertThat(field(body.path("steps"), "label"))
          .contains("draft", "draft · revise 1 of 2", "review · revise 2 of 2");
    }
  }

  @Test
  void triage_decisionShowsTheRouterRecommendationBesideTheChoice() throws Exception {
    try (AgentRuntime rt = InspectorFixture.runtime(tmp);
        AgentInspector inspector = AgentInspector.builder(rt).port(0).mode(Mode.DEBUG).start()) {
      RunResult r =
          rt.run(
              "triage",
              Map.of(
                  "request",
                  "CheckoutServiceTest fails on CI since the last merge: expected 3 items but was 2"));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);

      JsonNode steps = get(inspector, "/api/runs/" + r.runId()).path("steps");

      assertThat(field(steps, "key"))
          .containsExactly("start#0", "recommend#0", "dispatch#0", "tester#0", "done#0");
      JsonNode decision = steps.path(2).path("decision");
      assertThat(decision.path("route").asText()).isEqualTo("route");
      assertThat(decision.path("value").asText()).isEqualTo("tests");
      assertThat(decision.path("recommended").path("edge").asText()).isEqualTo("tests");
      assertThat(decision.path("recommended").path("score").asDouble())
          .isEqualTo(
              steps.path(1).path("output").path("recommendations").path(0).path("score").asDouble())
          .isPositive();
      assertThat(steps.path(1).path("calls").path(0).path("kind").asText()).isEqualTo("router");
    }
  }
}
