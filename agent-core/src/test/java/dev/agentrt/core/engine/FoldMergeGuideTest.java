package dev.agentrt.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idiom docs/workflows.md shows instead of a kind on a merge: a function after it. */
class FoldMergeGuideTest {
  @TempDir Path dir;

  @Test
  void guideWorkflow_foldsTheMergedOutputsInTheNodeAfterTheMerge() throws Exception {
    String guide = Files.readString(Path.of("../docs/workflows.md"));
    int section = guide.indexOf("### Why `merge` and `exit` take no kind");
    int start = guide.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = guide.substring(start, guide.indexOf("```", start));
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(dir.resolve("workflows/fold-merge.yml"), yaml);

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .function(
                "count_all",
                (input, ctx) -> {
                  int total = 0;
                  for (JsonNode part : input.value().get("merged")) total += part.size();
                  return JsonNodeFactory.instance.objectNode().put("total", total);
                })
            .build()) {
      RunResult r = rt.run("fold-merge", Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().toString())
          .isEqualTo("{\"total\":3,\"parts\":{\"pros\":[\"fast\",\"small\"],\"cons\":[\"new\"]}}");
    }
  }
}
