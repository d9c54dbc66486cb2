package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each run budget stops a runaway tool loop within one call: the run never overshoots by more than
 * the call in flight.
 */
class RunBudgetsAgentTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // budget,            limit, llm calls made, tool calls made
    "max_llm_calls,       3,     3,              3",
    "max_tool_calls,      3,     4,              3",
    "max_tokens,          250,   3,              3",
    "max_cost_usd,        250,   3,              3"
  })
  void run_runawayToolLoop_stoppedWithinOneCall(
      String budget, String limit, int llmCalls, int toolCalls) throws IOException {
    Path c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "scripts"})
      Files.createDirectories(c.resolve(d));
    // every turn costs 100 input tokens, priced at $1 per token: $100 a call
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline:\n    provider: scripted\n    script: scripts/loop.yml\n"
            + "    pricing: {input_per_mtok: 1000000, output_per_mtok: 0}\n");
    Files.writeString(
        c.resolve("agents/looper.yml"),
        "name: looper\nmodel: offline\ntools: [echo]\nmax_tool_rounds: 50\n");
    StringBuilder sb = new StringBuilder("turns:\n");
    for (int i = 0; i < 20; i++) {
      sb.append("  - tool_calls: [{name: echo, arguments: {text: t")
          .append(i)
          .append("}}]\n")
          .append("    usage: {input_tokens: 100, output_tokens: 0}\n");
    }
    Files.writeString(c.resolve("scripts/loop.yml"), sb.toString());
    Files.writeString(
        c.resolve("workflows/loop.yml"),
        "id: loop\n"
            + "budget: {"
            + budget
            + ": "
            + limit
            + "}\n"
            + "nodes:\n  - {id: start, role: start}\n  - {id: spin, kind: agent, agent: looper}\n  - {id: done, role: exit}\n"
            + "edges:\n  - {from: start, to: spin}\n  - {from: spin, to: done}\n");
    CheckpointStore store = CheckpointStore.inMemory(10);
    try (AgentRuntime rt =
        AgentRuntime.builder().configDir(c).tool(new EchoTool()).checkpointStore(store).build()) {
      RunResult r = rt.run("loop", Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message()).startsWith("budget " + budget + " exceeded");
      assertThat(store.calls(r.runId()).stream().filter(x -> x.kind() == CallKind.LLM).count())
          .isEqualTo(llmCalls);
      assertThat(
              store.calls(r.runId()).stream()
                  .map(x -> x.kind().wireName())
                  .filter(k -> k.equals("tool"))
                  .count())
          .isEqualTo(toolCalls);
    }
  }
}
