package dev.agentrt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The research assistant of the repository's {@code .agent/} directory, offline on scripted models:
 * run 1 ({@code research}) reads three source notes and saves four findings in project memory; run
 * 2 ({@code ask}), in a second runtime over the same SQLite file, searches that memory (hybrid:
 * BM25 + MiniLM embeddings, fused) and answers citing the keys of the findings it used.
 */
class ResearchAssistantTest {
  static final Path AGENT = Path.of("../.agent");
  static final Path PROJECT = Path.of("src/test/resources/research-project");
  static final List<String> NOTES =
      List.of("notes/lucene.md", "notes/sqlite-fts5.md", "notes/brute-force.md");
  static final String QUESTION =
      "Which library serves keyword and vector queries from one index, and how fast is a hybrid query over 100,000 items?";
  static final List<String> SAVED =
      List.of("lucene-hybrid-index", "lucene-latency", "fts5-no-vectors", "brute-force-cosine");

  @TempDir Path tmp;
  Path config;
  Path db;

  /**
   * A project directory {@code research/} holding a copy of .agent/ and the notes; its config keeps
   * runs and memory in one SQLite file of the temporary directory, and its workspace is the
   * project.
   */
  @BeforeEach
  void copy() throws IOException {
    Path project = FeatureAddWorkflowTest.copyTree(PROJECT, tmp.resolve("research"));
    config = FeatureAddWorkflowTest.copyTree(AGENT, project.resolve(".agent"));
    db = tmp.resolve("runs.db");
    String yml = Files.readString(config.resolve("config.yml"));
    String rewritten =
        yml.replace("workspace: .", "workspace: '" + project + "'")
            .replace(
                "checkpoint: {store: memory}", "checkpoint: {store: sqlite, path: '" + db + "'}");
    assertThat(rewritten).contains("workspace: '" + project + "'").contains(db.toString());
    Files.writeString(config.resolve("config.yml"), rewritten);
  }

  @Test
  void researchThenAsk_secondRuntime_answersFromProjectMemoryCitingTheHitsKeys()
      throws IOException {
    RunResult research;
    List<CallRecord> saves;
    try (AgentRuntime rt = AgentRuntime.builder().configDir(config).build()) {
      research = rt.run("research", Map.of("notes", NOTES));
      saves =
          rt.checkpointStore().calls(research.runId()).stream()
              .filter(c -> c.kind() == CallKind.TOOL && c.name().equals("memory.save"))
              .sorted(Comparator.comparingInt(CallRecord::index)) // they ran concurrently
              .toList();

      assertThat(research.status())
          .as(String.valueOf(research.message()))
          .isEqualTo(RunStatus.COMPLETED);
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      assertThat(project).isEqualTo(MemorySpace.project("research"));
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
    try (AgentRuntime rt = AgentRuntime.builder().configDir(config).build()) {
      ask = rt.run("ask", Map.of("question", QUESTION));
      calls = rt.checkpointStore().calls(ask.runId());
    }

    assertThat(ask.status()).as(String.valueOf(ask.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(calls)
        .filteredOn(c -> c.kind() == CallKind.TOOL)
        .extracting(CallRecord::name)
        .containsExactly("memory.search");
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
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("runs.db.memory-index-"));
    }
  }
}
