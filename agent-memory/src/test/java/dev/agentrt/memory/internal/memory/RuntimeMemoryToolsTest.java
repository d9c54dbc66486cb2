package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory backends and tools inside a real runtime, with the ToolBus of agent-tools. */
class RuntimeMemoryToolsTest {
  @TempDir Path root;
  final ScanSearchIndex.Factory index = new ScanSearchIndex.Factory();

  private Path config(String memory) throws IOException {
    Path dir = root.resolve("shop/.agent");
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + root.resolve("var/runs.db")
            + "'}\n"
            + memory.replace("$ROOT", root.toString()));
    Files.writeString(
        dir.resolve("workflows/remember.yml"),
        """
        id: remember
        nodes:
          - {id: start, role: start}
          - {id: save, kind: tool, tool: memory.save, args: {key: "{{input.key}}", text: "{{input.text}}"}}
          - {id: find, kind: tool, tool: memory.search, args: {query: "{{input.query}}", scopes: [task]}}
          - {id: done, role: exit, output: "{{find}}"}
        edges:
          - {from: start, to: save}
          - {from: save, to: find}
          - {from: find, to: done}
        """);
    Files.writeString(
        dir.resolve("workflows/recall.yml"),
        """
        id: recall
        nodes:
          - {id: start, role: start}
          - {id: find, kind: tool, tool: memory.search, args: {query: "{{input.query}}", scopes: [project], mode: sparse}, interrupt: after}
          - {id: done, role: exit, output: "{{find}}"}
        edges:
          - {from: start, to: find}
          - {from: find, to: done}
        """);
    return dir;
  }

  private AgentRuntime runtime(Path dir) {
    return AgentRuntime.builder()
        .configDir(dir)
        .memoryBackend(new SqliteMemoryProvider(index))
        .memoryBackend(new JsonlMemoryProvider(index))
        .build();
  }

  private static List<String> keys(JsonNode searchResult) {
    List<String> out = new ArrayList<>();
    searchResult.get("hits").forEach(h -> out.add(h.get("key").asText()));
    return out;
  }

  @Test
  void memory_defaultConfig_keepsItemsInTheRunsDatabaseAcrossRuntimes() throws Exception {
    Path dir = config("");
    try (AgentRuntime rt = runtime(dir)) {
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      assertThat(project.owner()).isEqualTo("shop");
      rt.memory().put(project, MemoryWrite.of("db", "db-1 runs PostgreSQL 15"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("var/runs.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT scope, owner, key FROM memory_items")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3))
          .isEqualTo("project/shop/db");
    }
    try (AgentRuntime rt = runtime(dir)) {
      List<MemoryHit> hits =
          rt.memory().search(MemoryQuery.of("postgresql", rt.memorySpace(MemoryScope.PROJECT)));
      assertThat(hits).extracting(h -> h.item().text()).containsExactly("db-1 runs PostgreSQL 15");
    }
  }

  @Test
  void tools_twoRuns_eachFindsOnlyItsOwnTaskItems() throws Exception {
    try (AgentRuntime rt = runtime(config(""))) {
      RunResult a =
          rt.run("remember", Map.of("key", "a", "text", "alpha launch code", "query", "launch"));
      RunResult b = rt.run("remember", Map.of("key", "b", "text", "beta notes", "query", "launch"));

      assertThat(a.status()).as(String.valueOf(a.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(a.output())).containsExactly("a");
      assertThat(b.status()).as(String.valueOf(b.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(b.output())).isEmpty();
      assertThat(rt.memory().get(MemorySpace.task(a.runId()), "a")).isPresent();
      assertThat(rt.memory().get(MemorySpace.task(b.runId()), "a")).isEmpty();
    }
  }

  @Test
  void tools_searchResult_isReusedOnResumeAndReplayWithoutSearchingAgain() throws Exception {
    try (AgentRuntime rt = runtime(config(""))) {
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      rt.memory().put(project, MemoryWrite.of("old", "the deploy runbook"));

      RunResult waiting = rt.run("recall", Map.of("query", "deploy"));
      assertThat(waiting.status())
          .as(String.valueOf(waiting.message()))
          .isEqualTo(RunStatus.WAITING);
      int searches = index.searches();

      rt.memory().delete(project, "old");
      rt.memory().put(project, MemoryWrite.of("new", "the new deploy runbook"));
      RunResult resumed = rt.resume(waiting.runId(), Map.of());
      RunResult replayed = rt.replay(waiting.runId());

      assertThat(resumed.status())
          .as(String.valueOf(resumed.message()))
          .isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(resumed.output())).containsExactly("old");
      assertThat(keys(replayed.output())).containsExactly("old");
      assertThat(index.searches()).isEqualTo(searches);
      // a new run does search, and finds the changed items
      assertThat(keys(rt.run("recall", Map.of("query", "deploy")).steps().get(1).output()))
          .containsExactly("new");
    }
  }

  @Test
  void memory_scopesInTwoBackends_searchFusesBothRankings() throws Exception {
    Path dir = config("memory:\n  global: {backend: jsonl, path: '$ROOT/var/memory'}\n");
    try (AgentRuntime rt = runtime(dir)) {
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      MemorySpace global = rt.memorySpace(MemoryScope.GLOBAL);
      rt.memory().putAll(project, List.of(MemoryWrite.of("p", "disk full on db-1")));
      rt.memory().put(global, MemoryWrite.of("g", "disk full disk alarm"));

      List<MemoryHit> hits = rt.memory().search(MemoryQuery.of("disk full alarm", project, global));

      assertThat(hits).extracting(h -> h.item().key()).containsExactly("g", "p");
      assertThat(hits.get(0).sparseRank()).isEqualTo(1);
      assertThat(hits.get(0).sparseScore()).isEqualTo(3.0);
      assertThat(Files.exists(root.resolve("var/memory/global-global.jsonl"))).isTrue();
      assertThatThrownBy(
              () ->
                  rt.memory()
                      .search(MemoryQuery.of("disk", project, global).withMode(SearchMode.DENSE)))
          .hasMessageContaining("dev.agentrt:agent-embeddings");
    }
  }

  @Test
  void build_unknownBackend_isReportedAtItsKeyWithDidYouMean() throws Exception {
    Path dir = config("memory:\n  global: {backend: jsnol}\n");

    assertThatThrownBy(() -> runtime(dir))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("config.yml:3:")
        .hasMessageContaining(
            "memory.global.backend: no memory backend 'jsnol' on the class path (did you mean"
                + " 'jsonl'?)");
  }
}
