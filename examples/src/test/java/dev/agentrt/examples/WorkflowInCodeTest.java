package dev.agentrt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * README's example built in Java ({@link EmbeddingExample#TRIAGE}) and in YAML ({@code
 * triage-agent/workflows/triage.yml}): the same manifest record, the same graph, the same steps.
 */
class WorkflowInCodeTest {
  private static final Path CONFIG = Path.of("src/main/resources/triage-agent");

  @ParameterizedTest
  @ValueSource(strings = {"Disk full on db-1", "Typo on the pricing page", "API down in eu-west"})
  void triage_inCodeAndInYaml_takeIdenticalSteps(String ticket) {
    RunResult yaml = EmbeddingExample.triage(CONFIG, ticket);
    RunResult code = EmbeddingExample.triageInCode(ticket);

    assertThat(steps(code)).isEqualTo(steps(yaml)).isNotEmpty();
    assertThat(code.status()).isEqualTo(yaml.status());
    assertThat(code.output()).isEqualTo(yaml.output());
  }

  @Test
  void triage_inCode_isTheSameRecordAndGraphAsTheYamlFile() {
    try (AgentRuntime fromYaml =
            AgentRuntime.builder()
                .configDir(CONFIG)
                .function("classify", EmbeddingExample.CLASSIFY)
                .build();
        AgentRuntime fromCode =
            AgentRuntime.builder()
                .workflow(EmbeddingExample.TRIAGE)
                .function("classify", EmbeddingExample.CLASSIFY)
                .build()) {
      WorkflowSpec yaml = fromYaml.manifests().workflows().get("triage");
      WorkflowSpec code = fromCode.manifests().workflows().get("triage");

      assertThat(code).isEqualTo(yaml);
      assertThat(fromCode.mermaid("triage")).isEqualTo(fromYaml.mermaid("triage"));
    }
  }

  /** What a step log says, without its times (outputs compared as JSON, key order aside). */
  private static List<Step> steps(RunResult r) {
    return r.steps().stream()
        .map((StepResult s) -> new Step(s.key(), s.nodeId(), s.status(), s.attempts(), s.output()))
        .toList();
  }

  private record Step(
      String key, String nodeId, StepStatus status, int attempts, JsonNode output) {}

  @Test
  void docs_showTheBuilderAsTheExampleWritesIt() throws Exception {
    String source =
        Files.readString(Path.of("src/main/java/dev/agentrt/examples/EmbeddingExample.java"));
    String docs = Files.readString(Path.of("../docs/embedding.md"));
    String builder =
        source.substring(
            source.indexOf("public static final Workflow TRIAGE ="),
            source.indexOf(".build();", source.indexOf("TRIAGE =")) + ".build();".length());

    assertThat(lines(docs)).contains(lines(builder));
  }

  /** The text's lines without indentation or blank lines, one string. */
  private static String lines(String text) {
    return String.join("\n", text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }
}
