package dev.agentrt.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.Agent;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.internal.RecordSchemas;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.spi.JsonSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's {@code output: {type: ...}}: a JSON Schema generated from a Java record. */
class OutputTypeTest {
  @TempDir Path dir;

  enum Severity {
    @JsonProperty("low")
    LOW,
    @JsonProperty("high")
    HIGH
  }

  record Finding(String file, int line, Severity severity) {}

  record Review(
      @JsonPropertyDescription("approve or reject") String verdict,
      List<Finding> findings,
      Optional<String> summary,
      @Nullable Double score,
      Map<String, Integer> counts,
      @JsonProperty("is_final") boolean isFinal) {}

  record Node(String name, List<Node> children) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void schema_ofARecord_requiresWhatIsNeitherOptionalNorNullable() throws Exception {
    JsonNode schema = RecordSchemas.of(Review.class);

    assertThat(schema)
        .isEqualTo(
            JSON.readTree(
                """
                {"type":"object","properties":{
                  "verdict":{"type":"string","description":"approve or reject"},
                  "findings":{"type":"array","items":{"type":"object","properties":{
                      "file":{"type":"string"},"line":{"type":"integer"},
                      "severity":{"type":"string","enum":["low","high"]}},
                    "required":["file","line","severity"],"additionalProperties":false}},
                  "summary":{"type":"string"},
                  "score":{"type":"number"},
                  "counts":{"type":"object","additionalProperties":{"type":"integer"}},
                  "is_final":{"type":"boolean"}},
                 "required":["verdict","findings","counts","is_final"],
                 "additionalProperties":false}
                """));
    assertThat(JsonSchemas.problems(schema)).isEmpty();
  }

  @Test
  void schema_ofARecursiveRecord_saysWhereItRecurses() {
    assertThatThrownBy(() -> RecordSchemas.of(Node.class))
        .hasMessageContaining("Node.children[]")
        .hasMessageContaining("contains itself");
  }

  @Test
  void outputType_inYaml_loadsTheGeneratedSchema() throws Exception {
    Files.createDirectories(dir.resolve("agents"));
    Files.writeString(
        dir.resolve("agents/reviewer.yml"),
        "name: reviewer\noutput: {type: " + Review.class.getName() + "}\n");

    var agent = ManifestLoader.ofDefaults().load(dir).orThrow().agents().get("reviewer");

    assertThat(agent.output().schema()).isEqualTo(RecordSchemas.of(Review.class));
    assertThat(agent.output().type()).isEqualTo(Review.class.getName());
  }

  @Test
  void outputType_unknownClassOrNotARecord_isAProblemAtTheKey() throws Exception {
    Files.createDirectories(dir.resolve("agents"));
    Files.writeString(dir.resolve("agents/a.yml"), "name: a\noutput: {type: com.acme.Nope}\n");
    Files.writeString(dir.resolve("agents/b.yml"), "name: b\noutput:\n  type: java.lang.String\n");
    Files.writeString(
        dir.resolve("agents/c.yml"),
        "name: c\noutput: {type: " + Review.class.getName() + ", schema: {type: object}}\n");

    List<ManifestProblem> problems = ManifestLoader.ofDefaults().load(dir).problems();

    assertThat(problems)
        .extracting(ManifestProblem::toString)
        .containsExactly(
            "agents/a.yml:2:16: agent 'a': output.type: no class 'com.acme.Nope' on the classpath"
                + " (write the binary name of a record, com.acme.Review, or Outer$Inner for a"
                + " nested one)",
            "agents/b.yml:3:9: agent 'b': output.type: java.lang.String is not a record (declare"
                + " the answer's fields as a Java record)",
            "agents/c.yml:2:16: agent 'c': output.type: write output.schema or output.type, not"
                + " both");
  }

  @Test
  void outputType_inCode_isTheSameAsInYaml() throws Exception {
    Agent reviewer = Agent.builder("reviewer").outputType(Review.class).build();
    Files.createDirectories(dir.resolve("agents"));
    Files.writeString(dir.resolve("agents/reviewer.yml"), reviewer.yaml());

    try (AgentRuntime rt = AgentRuntime.builder().agent(reviewer).build()) {
      assertThat(rt.manifests().agents().get("reviewer"))
          .isEqualTo(ManifestLoader.ofDefaults().load(dir).orThrow().agents().get("reviewer"));
    }
  }
}
