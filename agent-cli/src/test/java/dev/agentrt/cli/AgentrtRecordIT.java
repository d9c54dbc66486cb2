package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt run --record FILE}: a run's LLM calls written as a scripted-provider script and
 * replayed.
 */
class AgentrtRecordIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  Path c;

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    config("scripts/original.yml");
    Files.writeString(
        c.resolve("scripts/original.yml"),
        """
        turns:
          - tool_calls: [{name: yaml.parse, arguments: {text: "size: 3"}}]
            usage: {input_tokens: 11, output_tokens: 4}
          - expect_tool_results: [{name: yaml.parse}]
            text: '{"verdict": "approve", "size": 3}'
            usage: {input_tokens: 25, output_tokens: 9}
        """);
    Files.writeString(c.resolve("prompts/reviewer.md"), "Review {{input.change}}.");
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        """
        name: reviewer
        model: m
        system: prompts/reviewer.md
        tools: [yaml.parse]
        output: {schema: {type: object, required: [verdict], properties: {verdict: {enum: [approve, revise]}}}}
        """);
    Files.writeString(
        c.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: review, kind: agent, agent: reviewer}
          - {id: note, kind: transform, template: "verdict {{review.verdict}}"}
          - {id: done, role: exit, output: {review: "{{review}}", note: "{{note}}"}}
        edges:
          - {from: start, to: review}
          - {from: review, to: note}
          - {from: note, to: done}
        """);
  }

  private void config(String script) throws IOException {
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  m: {provider: scripted, script: "
            + script
            + ", pricing: {input_per_mtok: 1.0, output_per_mtok: 2.0}}\n");
  }

  @Test
  void run_record_writesScriptThatReplaysTheSameStepsAndOutput() throws IOException {
    Agentrt.Result first =
        Agentrt.runIn(
            dir,
            "run",
            "w",
            "--json",
            "--input",
            "{\"change\":\"a fix\"}",
            "--record",
            ".agent/scripts/recorded/run.yml");

    assertThat(first.exitCode()).as(first.stderr() + first.stdout()).isZero();
    assertThat(first.stderr()).isEmpty();
    Path script = c.resolve("scripts/recorded/run.yml");
    assertThat(script).isRegularFile();
    assertThat(Files.readString(script))
        .contains("yaml.parse")
        .contains("expect_tool_results")
        .contains("input_tokens: 25");

    config("scripts/recorded/run.yml");
    Agentrt.Result second =
        Agentrt.runIn(dir, "run", "w", "--json", "--input", "{\"change\":\"a fix\"}");

    assertThat(second.exitCode()).as(second.stderr() + second.stdout()).isZero();
    JsonNode a = MAPPER.readTree(first.stdout());
    JsonNode b = MAPPER.readTree(second.stdout());
    assertThat(b.get("steps")).isEqualTo(a.get("steps"));
    assertThat(b.get("steps")).hasSize(4);
    assertThat(b.get("output")).isEqualTo(a.get("output"));
    assertThat(b.get("output").path("note").asText()).isEqualTo("verdict approve");
    assertThat(b.get("runId")).isNotEqualTo(a.get("runId"));

    // the recording is also a baseline of what the run did, for RunResultAssert.matchesBaseline
    JsonNode baseline = dev.agentrt.testkit.RunBaseline.read(script).tree();
    assertThat(baseline.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(baseline.path("steps").findValuesAsText("key"))
        .containsExactly("start#0", "review#0", "note#0", "done#0");
    assertThat(baseline.path("output")).isEqualTo(a.get("output"));
    assertThat(baseline.path("tool_calls").get(0).path("tool").asText()).isEqualTo("yaml.parse");
    assertThat(baseline.path("tool_calls").get(0).path("step").asText()).isEqualTo("review#0");
  }

  @Test
  void run_recordTextMode_saysWhatWasRecorded() {
    Agentrt.Result r =
        Agentrt.runIn(dir, "run", "w", "--input", "{\"change\":\"x\"}", "--record", "out.yml");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).endsWith("Recorded 2 LLM calls of model 'm' to out.yml\n");
    assertThat(dir.resolve("out.yml")).isRegularFile();
  }

  @Test
  void run_recordWithoutLlmCall_exits2SayingSoAndWritesNothing() throws IOException {
    Files.writeString(
        c.resolve("workflows/plain.yml"),
        """
        id: plain
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, output: "ok"}
        edges:
          - {from: start, to: done}
        """);

    Agentrt.Result r = Agentrt.runIn(dir, "run", "plain", "--json", "--record", "out.yml");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(MAPPER.readTree(r.stdout()).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: --record out.yml: the run made no LLM call: there is nothing to record\n");
    assertThat(dir.resolve("out.yml")).doesNotExist();
  }

  @Test
  void run_recordWithStoreNone_exits2BeforeRunning() throws IOException {
    Files.writeString(
        c.resolve("config.yml"),
        Files.readString(c.resolve("config.yml")) + "checkpoint: {store: none}\n");

    Agentrt.Result r = Agentrt.runIn(dir, "run", "w", "--json", "--record", "out.yml");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: --record out.yml: the checkpoint store is 'none', which keeps no LLM "
                + "calls (use checkpoint: {store: memory} or sqlite in config.yml)\n");
  }
}
