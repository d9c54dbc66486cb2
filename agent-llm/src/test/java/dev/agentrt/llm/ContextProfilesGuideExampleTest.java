package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.tools.ToolBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/agents.md ("Context profiles"), loaded and run as written. */
class ContextProfilesGuideExampleTest {
  static final Path GUIDE = Path.of("../docs/agents.md");

  @TempDir Path dir;

  /** The YAML code blocks of the guide's "Context profiles" section, in order. */
  static List<String> yamlBlocks() throws IOException {
    String guide = Files.readString(GUIDE);
    int start = guide.indexOf("\n## Context profiles\n");
    assertThat(start).as("section in " + GUIDE).isPositive();
    String section = guide.substring(start, guide.indexOf("\n## ", start + 1));
    List<String> blocks = new ArrayList<>();
    int at = 0;
    while ((at = section.indexOf("```yaml\n", at)) >= 0) {
      int end = section.indexOf("```\n", at + 8);
      blocks.add(section.substring(at + 8, end));
      at = end + 4;
    }
    return blocks;
  }

  @Test
  void run_guideExample_loadsAndFitsTheResearcherProfile() throws IOException {
    List<String> blocks = yamlBlocks();
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0)).startsWith("# config.yml\n");
    assertThat(blocks.get(1)).startsWith("# agents/researcher.yml\n");
    Path c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  default: {provider: scripted, script: scripts/s.yml}\n" + blocks.get(0));
    Files.writeString(c.resolve("agents/researcher.yml"), blocks.get(1));
    Files.writeString(c.resolve("prompts/researcher.md"), "Answer from what you remember.");
    Files.writeString(c.resolve("scripts/s.yml"), "turns:\n  - text: from memory\n");
    Files.writeString(
        c.resolve("workflows/research.yml"),
        """
        id: research
        nodes:
          - {id: start, role: start}
          - {id: answer, kind: agent, agent: researcher}
          - {id: done, role: exit, output: "{{answer}}"}
        edges:
          - {from: start, to: answer}
          - {from: answer, to: done}
        """);
    FixedMemory memory =
        new FixedMemory()
            .hit(MemoryScope.PROJECT, "retry-policy", 0.8, "the delay doubles up to 8 s");
    RecordingStore store = new RecordingStore();
    RunResult r;
    try (ToolBus bus = ToolBus.builder().build();
        AgentNodeExecutor agents = AgentNodeExecutor.builder().toolBus(bus).memory(memory).build();
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(c)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .build()) {
      r = rt.run("research", Map.of("question", "how are retries spaced?"));
    } finally {
      store.delegate.close();
    }

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(memory.searches)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.text()).isEqualTo("how are retries spaced?");
              assertThat(q.k()).isEqualTo(8);
              assertThat(q.mode()).isEqualTo(SearchMode.HYBRID);
            });
    JsonNode context =
        store.calls.stream()
            .filter(x -> x.kind() == CallKind.LLM)
            .findFirst()
            .orElseThrow()
            .request()
            .path("context");
    assertThat(context.path("profile").asText()).isEqualTo("researcher");
    assertThat(context.path("max_tokens").asInt()).isEqualTo(6000);
    assertThat(context.path("sections").findValuesAsText("section"))
        .containsExactly("system", "input", "memory", "messages", "loop_status");
  }
}
