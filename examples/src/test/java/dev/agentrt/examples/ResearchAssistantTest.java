package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.testkit.AgentTest;
import dev.agentrt.testkit.AgentTestContext;
import dev.agentrt.testkit.TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The research assistant of the repository's {@code .agent/} directory, offline on scripted models:
 * run 1 ({@code research}) reads three source notes and saves four findings in project memory; run
 * 2 ({@code ask}), in a second runtime over the same SQLite store, searches that memory (hybrid:
 * BM25 + MiniLM embeddings, fused) and answers citing the keys of the findings it used. The testkit
 * wires both runtimes ({@code @AgentTest}): a copy of .agent/, runs and memory in SQLite files of
 * the test's temporary directory, and a copy of the notes project as the workspace.
 */
@AgentTest(
    config = "../.agent",
    store = TestStore.SQLITE,
    workspace = "src/test/resources/research-project")
class ResearchAssistantTest {
  static final List<String> NOTES =
      List.of("notes/lucene.md", "notes/sqlite-fts5.md", "notes/brute-force.md");
  static final String QUESTION =
      "Which library serves keyword and vector queries from one index, and how fast is a hybrid query over 100,000 items?";
  static final List<String> SAVED =
      List.of("lucene-hybrid-index", "lucene-latency", "fts5-no-vectors", "brute-force-cosine");

  @Test
  void researchThenAsk_secondRuntime_answersFromProjectMemoryCitingTheHitsKeys(AgentTestContext ctx)
      throws IOException {
    RunResult research;
    List<CallRecord> saves;
    try (AgentRuntime rt = ctx.runtime()) {
      research = rt.run("research", Map.of("notes", NOTES));
      saves =
          rt.checkpointStore().calls(research.runId()).stream()
              .filter(c -> c.kind() == CallKind.TOOL && c.name().equals("memory.save"))
              .sorted(Comparator.comparingInt(CallRecord::index)) // they ran concurrently
              .toList();

      assertThat(research).isCompleted();
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      assertThat(project)
          .as("the project is named after the directory holding the configuration")
          .isEqualTo(MemorySpace.project(ctx.configDir().getParent().getFileName().toString()));
      for (String key : SAVED) {
        assertThat(rt.memory().get(project, key)).as(key).isPresent();
      }
      MemoryItem latency = rt.memory().get(project, "lucene-latency").orElseThrow();
      assertThat(latency.text()).contains("1 ms at the median");
      assertThat(latency.metadata().path("source").asText()).isEqualTo("notes/lucene.md");
      assertThat(latency.tags()).containsExactly("lucene", "benchmark");
      assertThat(rt.memory().get(MemorySpace.task(research.runId()), "lucene-latency"))
          .as("saved in project memory, not the run's task memory")
          .isEmpty();
    }
    assertThat(research.output().path("saved"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(SAVED);
    assertThat(saves)
        .extracting(c -> c.response().path("value").path("key").asText())
        .containsExactlyElementsOf(SAVED);
    assertThat(saves)
        .extracting(c -> c.response().path("value").path("scope").asText())
        .containsOnly("project");

    RunResult ask;
    List<CallRecord> calls;
    Path db;
    try (AgentRuntime rt = ctx.newRuntime()) {
      ask = rt.run("ask", Map.of("question", QUESTION));
      calls = rt.checkpointStore().calls(ask.runId());
      db = Path.of(rt.manifests().config().checkpoint().path());

      assertThat(ask).isCompleted().madeToolCalls("memory.search");
    }
    CallRecord search =
        calls.stream()
            .filter(c -> c.kind() == CallKind.TOOL && c.name().equals("memory.search"))
            .findFirst()
            .orElseThrow();
    assertThat(search.request().path("arguments").path("mode").asText()).isEqualTo("hybrid");
    JsonNode hits = search.response().path("value").path("hits");
    assertThat(hits)
        .as(search.response().toString())
        .extracting(h -> h.path("key").asText())
        .containsExactly("lucene-hybrid-index", "lucene-latency", "brute-force-cosine");
    for (JsonNode h : hits) {
      assertThat(h.path("dense_rank").isInt()).as("found by the embeddings: " + h).isTrue();
      assertThat(h.path("sparse_rank").isInt()).as("found by BM25: " + h).isTrue();
    }
    // the two Lucene findings are first and second in the two rankings, crosswise, so reciprocal
    // rank fusion (k = 60) ties them at 1/61 + 1/62; the smaller key goes first
    double tie = 1.0 / 61 + 1.0 / 62;
    assertThat(hits.path(0).path("fused_score").asDouble()).isCloseTo(tie, within(1e-12));
    assertThat(hits.path(1).path("fused_score").asDouble()).isCloseTo(tie, within(1e-12));

    JsonNode memorySection =
        calls.stream()
            .filter(c -> c.kind() == CallKind.LLM)
            .findFirst()
            .orElseThrow()
            .request()
            .path("context")
            .path("sections")
            .path(2);
    assertThat(memorySection.path("section").asText()).isEqualTo("memory");
    assertThat(memorySection.path("hits"))
        .as("the context profile put the same findings in the prompt")
        .extracting(h -> h.path("key").asText())
        .containsExactly("lucene-hybrid-index", "lucene-latency", "brute-force-cosine");

    List<String> cited = new ArrayList<>();
    ask.output().path("cited").forEach(c -> cited.add(c.asText()));
    assertThat(cited).containsExactly("lucene-hybrid-index", "lucene-latency");
    String answer = ask.output().path("answer").asText();
    for (String key : cited) assertThat(answer).contains("[" + key + "]");

    assertThat(db).as("runs and memory share one SQLite file").exists();
    try (Stream<Path> files = Files.list(db.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .doesNotContain("memory.db")
          .anyMatch(n -> n.startsWith("runs.db.memory-index-"));
    }
  }
}
