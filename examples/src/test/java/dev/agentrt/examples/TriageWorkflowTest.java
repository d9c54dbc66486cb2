package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.testkit.AgentTest;
import dev.agentrt.testkit.AgentTestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the repository's {@code .agent/workflows/triage.yml} offline: the embedded router (inform
 * mode, the in-process MiniLM model) ranks the dispatcher's routes, and the scripted dispatcher
 * agent, which sees the recommendation in its prompt, decides. The decide-mode tests run a variant
 * written from it into a temporary copy of {@code .agent/}: the router node itself decides when its
 * confidence reaches 0.5, and asks a person otherwise. The runtimes are the testkit's:
 * {@code @AgentTest} on a copy of {@code .agent/}, and {@link AgentTestRuntime} on the decide
 * variant.
 */
@AgentTest(config = "../.agent")
class TriageWorkflowTest {
  static final Path CONFIG = Path.of("../.agent");

  @Test
  void triage_failingTestRequest_routerRecommendsTestsAndDispatcherFollows(AgentRuntime rt) {
    RunResult r =
        rt.run(
            "triage",
            Map.of(
                "request",
                "CheckoutServiceTest fails on CI since the last merge: expected 3 items but was"
                    + " 2"));

    assertThat(r)
        .isCompleted()
        .hasStepKeys("start#0", "recommend#0", "dispatch#0", "tester#0", "done#0")
        .hasOutputAt("route", "tests")
        .hasOutputAt("recommended.0.edge", "tests");
    JsonNode rec = r.step("recommend#0").orElseThrow().output();
    assertThat(rec.path("mode").asText()).isEqualTo("inform");
    assertThat(rec.path("for").asText()).isEqualTo("dispatch");
    assertThat(rec.path("chosen").isNull()).as(rec.toString()).isTrue();
    assertThat(rec.path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(rec.path("recommendations")).hasSize(3);
    JsonNode top = rec.path("recommendations").path(0);
    assertThat(top.path("edge").asText()).as(rec.toString()).isEqualTo("tests");
    assertThat(top.path("to").asText()).isEqualTo("tester");
    // the reason names the closest text (an example or the description) and the edge's tags
    assertThat(top.path("reason").asText())
        .matches("(closest example '.+'|description) \\(0\\.\\d\\d\\); tags tests, .*");
    assertThat(rec.path("confidence").asDouble()).isEqualTo(top.path("score").asDouble());
    assertThat(r.step("dispatch#0").orElseThrow().output().path("route").asText())
        .isEqualTo("tests");
  }

  @Test
  void triage_requestTheRouterRanksWrong_dispatcherOverrulesIt(AgentRuntime rt) {
    RunResult r =
        rt.run("triage", Map.of("request", "Add code comments explaining the caching strategy"));

    assertThat(r).isCompleted();
    // the router's recommendation and the agent's choice are both recorded
    JsonNode rec = r.step("recommend#0").orElseThrow().output();
    assertThat(rec.path("recommendations").path(0).path("edge").asText())
        .as(rec.toString())
        .isEqualTo("code");
    assertThat(r.step("dispatch#0").orElseThrow().output().path("route").asText())
        .isEqualTo("docs");
    assertThat(r).hasStepKeys("start#0", "recommend#0", "dispatch#0", "writer#0", "done#0");
  }

  @Test
  void triage_mermaidGraph_isTheOneShownInDocs(AgentRuntime rt) throws IOException {
    String graph = rt.mermaid("triage");

    assertThat(Files.readString(Path.of("../docs/triage-example.md")))
        .as("docs/triage-example.md shows the graph of rt.mermaid(\"triage\"):%n%s", graph)
        .contains("```mermaid\n" + graph.strip() + "\n```");
  }

  @Test
  void triage_offTopicRequest_declined(AgentRuntime rt) {
    RunResult r =
        rt.run("triage", Map.of("request", "Can you find me a cheap hotel in Lisbon for May?"));

    assertThat(r)
        .isCompleted()
        .hasStepKeysInOrder("decline#0")
        .hasOutputAt("route", "out_of_scope");
    JsonNode rec = r.step("recommend#0").orElseThrow().output();
    assertThat(rec.path("recommendations").path(0).path("edge").asText())
        .as(rec.toString())
        .isEqualTo("out_of_scope");
  }

  /**
   * triage.yml turned into decide mode: the router node is the decision (its edges are the
   * dispatcher's), no dispatcher; below confidence 0.5 the run waits for a person's choice.
   */
  static Path decideVariant(Path tmp) throws IOException {
    Path config = JavaProjects.copyTree(CONFIG, tmp.resolve(".agent"));
    String yml = Files.readString(config.resolve("workflows/triage.yml"));
    String decide =
        replace(
            replace(
                replace(
                    replace(
                        replace(
                            replace(yml, "id: triage\n", "id: triage-decide\n"),
                            "    router: {text: \"{{input.request}}\", top: 3}",
                            "    role: decision\n"
                                + "    router: {text: \"{{input.request}}\", top: 3, mode: decide,"
                                + " min_confidence: 0.5, fallback: ask}\n"
                                + "    #"),
                        "  - {id: dispatch, kind: agent, agent: dispatcher, role: decision, route:"
                            + " route}\n",
                        ""),
                    "  - {from: recommend, to: dispatch}\n",
                    ""),
                "from: dispatch",
                "from: recommend"),
            "{{dispatch.route}}",
            "{{recommend.chosen}}");
    Files.writeString(config.resolve("workflows/triage-decide.yml"), decide);
    return config;
  }

  /** {@code s} with {@code from} replaced, failing if triage.yml no longer contains it. */
  static String replace(String s, String from, String to) {
    assertThat(s).as("triage.yml").contains(from);
    return s.replace(from, to);
  }

  @Test
  void triageDecide_confidentRanking_routerDecidesWithoutAnAgent(@TempDir Path tmp)
      throws IOException {
    RunResult r;
    try (AgentRuntime rt = AgentTestRuntime.builder(decideVariant(tmp), tmp).build()) {
      r =
          rt.run(
              "triage-decide",
              Map.of("request", "Convert the invoices CSV file into JSON, one object per row"));
    }

    assertThat(r)
        .isCompleted()
        .hasStepKeys("start#0", "recommend#0", "wrangler#0", "done#0")
        .hasOutputAt("route", "data")
        .hasLlmCalls(0);
    JsonNode rec = r.step("recommend#0").orElseThrow().output();
    assertThat(rec.path("mode").asText()).isEqualTo("decide");
    assertThat(rec.path("chosen").asText()).as(rec.toString()).isEqualTo("data");
    assertThat(rec.path("decided_by").asText()).isEqualTo("router");
    assertThat(rec.path("confidence").asDouble()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void triageDecide_unsureRanking_asksAPersonThenTakesTheirChoice(@TempDir Path tmp)
      throws IOException {
    try (AgentRuntime rt = AgentTestRuntime.builder(decideVariant(tmp), tmp).build()) {
      RunResult waiting = rt.run("triage-decide", Map.of("request", UNSURE));

      assertThat(waiting).isWaiting().hasReason(FailureReason.INTERRUPTED);
      assertThat(waiting.message())
          .contains("router 'recommend' is not confident enough")
          .endsWith(
              "resume with {\"choice\": \"<edge>\"}, one of: code, tests, docs, research, data,"
                  + " out_of_scope");

      RunResult r = rt.resume(waiting.runId(), Map.of("choice", "docs"));

      assertThat(r).isCompleted().hasStepKeysInOrder("writer#0").hasOutputAt("route", "docs");
      JsonNode rec = r.step("recommend#0").orElseThrow().output();
      assertThat(rec.path("chosen").asText()).isEqualTo("docs");
      assertThat(rec.path("decided_by").asText()).isEqualTo("person");
    }
  }

  /** A request the router is unsure of (top score below 0.5). */
  static final String UNSURE = "Can you look at the pagination thing from yesterday?";
}
