package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.testsupport.MutableClock;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memory.save} and {@code memory.search} through agent-tools' ToolBus, as an agent. */
class MemoryToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TOOLS = List.of("memory.save", "memory.search");

  @TempDir Path dir;
  IndexedStore store;
  ToolBus bus;

  @BeforeEach
  void setUp() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    store =
        Backends.open(
            "sqlite",
            Backends.setup(dir, "sqlite", null, null, null, clock),
            new ScanSearchIndex.Factory());
    // the agent 'scribe' may read task and project and write task only; others get the defaults
    bus =
        ToolBus.builder()
            .memory(
                (runId, agent) ->
                    "scribe".equals(agent)
                        ? new MemoryAccess(
                            store,
                            runId,
                            "shop",
                            EnumSet.of(MemoryScope.TASK, MemoryScope.PROJECT),
                            EnumSet.of(MemoryScope.TASK))
                        : new MemoryAccess(
                            store,
                            runId,
                            "shop",
                            MemoryAccess.DEFAULT_SCOPES,
                            MemoryAccess.DEFAULT_SCOPES))
            .build();
  }

  @AfterEach
  void tearDown() {
    bus.close();
    store.close();
  }

  private ToolResult call(String agent, String tool, String args) throws Exception {
    ToolInvocation inv = ToolInvocation.of(tool, JSON.readTree(args));
    inv =
        new ToolInvocation(
            inv.tool(), inv.arguments(), null, null, "run-1", "s#1", 0, null, () -> false);
    return bus.call(inv.byAgent(agent, TOOLS));
  }

  private static JsonNode value(ToolResult r) {
    assertThat(r).isInstanceOf(ToolResult.Success.class);
    return ((ToolResult.Success) r).value();
  }

  @Test
  void save_withoutScope_writesTheRunsTaskSpace() throws Exception {
    JsonNode saved =
        value(
            call(
                "scribe",
                "memory.save",
                "{\"key\":\"k\",\"text\":\"the plan\",\"metadata\":{\"by\":\"ada\"},\"tags\":[\"x\"]}"));

    assertThat(saved.get("scope").asText()).isEqualTo("task");
    assertThat(
            store.get(MemorySpace.task("run-1"), "k").orElseThrow().metadata().get("by").asText())
        .isEqualTo("ada");
  }

  @Test
  void save_scopeTheAgentMayNotWrite_isADeniedFailureNamingTheScope() throws Exception {
    ToolResult r =
        call("scribe", "memory.save", "{\"key\":\"k\",\"text\":\"x\",\"scope\":\"project\"}");

    assertThat(r)
        .isEqualTo(
            ToolResult.failure(
                ToolFailureKind.DENIED,
                "memory.save: this agent may not write memory scope 'project' (its memory.write"
                    + " allows: task; change memory: in the agent's file)"));
    assertThat(store.get(MemorySpace.project("shop"), "k")).isEmpty();
  }

  @Test
  void search_scopeTheAgentMayNotRead_isADeniedFailure() throws Exception {
    ToolResult r = call("scribe", "memory.search", "{\"query\":\"x\",\"scopes\":[\"global\"]}");

    assertThat(r).isInstanceOf(ToolResult.Failure.class);
    assertThat(((ToolResult.Failure) r).kind()).isEqualTo(ToolFailureKind.DENIED);
    assertThat(((ToolResult.Failure) r).message()).contains("may not read memory scope 'global'");
  }

  @Test
  void search_withFilterAndK_returnsHitsWithScoresAndRanks() throws Exception {
    call(
        "other",
        "memory.save",
        "{\"key\":\"a\",\"text\":\"disk full\",\"scope\":\"project\",\"metadata\":{\"host\":\"db-1\"}}");
    call(
        "other",
        "memory.save",
        "{\"key\":\"b\",\"text\":\"disk full\",\"scope\":\"project\",\"metadata\":{\"host\":\"db-2\"}}");
    call(
        "other",
        "memory.save",
        "{\"key\":\"c\",\"text\":\"disk full\",\"metadata\":{\"host\":\"db-3\"}}");

    JsonNode out =
        value(
            call(
                "scribe",
                "memory.search",
                "{\"query\":\"disk\",\"k\":5,\"mode\":\"sparse\","
                    + "\"filter\":{\"metadata\":{\"host\":[\"db-2\",\"db-3\"]}}}"));

    assertThat(out.get("hits")).hasSize(2);
    JsonNode first = out.get("hits").get(0);
    assertThat(first.get("key").asText()).isEqualTo("c"); // task sorts before project on a tie
    assertThat(first.get("scope").asText()).isEqualTo("task");
    assertThat(first.get("sparse_rank").asInt()).isEqualTo(1);
    assertThat(first.get("sparse_score").asDouble()).isEqualTo(1.0);
    assertThat(first.get("dense_score").isNull()).isTrue();
    assertThat(out.get("hits").get(1).get("key").asText()).isEqualTo("b");
  }

  @Test
  void search_denseWithoutEmbedder_isAFailureTheModelCanRead() throws Exception {
    ToolResult r = call("scribe", "memory.search", "{\"query\":\"x\",\"mode\":\"dense\"}");

    assertThat(r).isInstanceOf(ToolResult.Failure.class);
    assertThat(((ToolResult.Failure) r).message()).contains("search with mode sparse");
  }
}
