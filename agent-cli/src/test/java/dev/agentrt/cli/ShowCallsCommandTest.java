package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code show --calls} and the calls in {@code show --json} and {@code runs --json}, for a run
 * whose agent (a scripted model) asks for one {@code fs.write} call and then answers.
 */
class ShowCallsCommandTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  Path config;
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws IOException {
    config = dir.resolve(".agent");
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    for (String d : new String[] {"workflows", "agents", "scripts"})
      Files.createDirectories(config.resolve(d));
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + dir.resolve("runs.db")
            + "'}\npolicy: {workspace: '"
            + workspace
            + "'}\nmodels:\n  m: {provider: scripted, script: scripts/s.yml,"
            + " pricing: {input_per_mtok: 1.0, output_per_mtok: 2.0}}\n");
    Files.writeString(
        config.resolve("scripts/s.yml"),
        """
        turns:
          - tool_calls: [{name: fs.write, arguments: {path: note.txt, content: hello}}]
            usage: {input_tokens: 11, output_tokens: 4}
          - expect_tool_results: [{name: fs.write}]
            text: done
            usage: {input_tokens: 25, output_tokens: 9}
        """);
    Files.writeString(
        config.resolve("agents/writer.yml"),
        """
        name: writer
        model: m
        prompt: Write a note.
        tools: [fs.write]
        """);
    Files.writeString(
        config.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: write, kind: agent, agent: writer}
          - {id: done, role: exit}
        edges:
          - {from: start, to: write}
          - {from: write, to: done}
        """);
  }

  int execute(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return Main.execute(cl, args);
  }

  String run() throws IOException {
    int code = execute("run", "w", "--config", config.toString(), "--json");
    assertThat(code).as(err.toString() + out).isZero();
    return MAPPER.readTree(out.toString()).path("runId").asText();
  }

  @Test
  void showCalls_listsTheLlmCallsAndTheToolCallUnderTheirStep() throws IOException {
    String runId = run();
    JsonNode tool = MAPPER.readTree(showJson(runId)).path("steps").get(1).path("calls").get(1);

    int code = execute("show", runId, "--calls", "--config", config.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains(
            "  write#0 ",
            "\n    #0 llm m: 11 in, 4 out, $0.0000; requested fs.write\n"
                + "    #1 tool fs.write {\"path\":\"note.txt\",\"content\":\"hello\"} -> "
                + StepCalls.summary(tool.path("result"))
                + "; effect non_idempotent, key "
                + tool.path("idempotencyKey").asText()
                + "\n    #2 llm m: 25 in, 9 out, $0.0000; answered\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void showWithoutCalls_listsNoCall() throws IOException {
    String runId = run();

    assertThat(execute("show", runId, "--config", config.toString())).isZero();

    assertThat(out.toString()).doesNotContain("fs.write").doesNotContain("#0 llm");
  }

  @Test
  void showJson_hasEachStepsCalls() throws IOException {
    String runId = run();

    JsonNode root = MAPPER.readTree(showJson(runId));

    assertThat(root.path("warnings").isArray()).isTrue();
    assertThat(root.path("warnings")).isEmpty();
    JsonNode write = root.path("steps").get(1);
    assertThat(write.path("key").asText()).isEqualTo("write#0");
    JsonNode calls = write.path("calls");
    assertThat(calls).hasSize(3);
    JsonNode llm = calls.get(0);
    assertThat(llm.path("kind").asText()).isEqualTo("llm");
    assertThat(llm.path("name").asText()).isEqualTo("m");
    assertThat(llm.path("inputTokens").asLong()).isEqualTo(11);
    assertThat(llm.path("outputTokens").asLong()).isEqualTo(4);
    assertThat(llm.path("costUsd").asDouble()).isCloseTo(19e-6, within(1e-12));
    assertThat(llm.path("toolCalls").get(0).path("name").asText()).isEqualTo("fs.write");
    JsonNode tool = calls.get(1);
    assertThat(tool.path("kind").asText()).isEqualTo("tool");
    assertThat(tool.path("name").asText()).isEqualTo("fs.write");
    assertThat(tool.path("arguments").path("path").asText()).isEqualTo("note.txt");
    assertThat(tool.path("result").isNull()).isFalse();
    assertThat(tool.path("effect").asText()).isEqualTo("non_idempotent");
    assertThat(tool.path("idempotencyKey").asText()).isNotEmpty();
    assertThat(calls.get(2).path("toolCalls")).isEmpty();
    assertThat(root.path("steps").get(0).path("calls")).isEmpty();
  }

  @Test
  void runsJson_hasEachRunsTotals() throws IOException {
    String runId = run();

    assertThat(execute("runs", "--json", "--config", config.toString())).isZero();

    JsonNode run = MAPPER.readTree(out.toString()).get(0);
    assertThat(run.path("runId").asText()).isEqualTo(runId);
    JsonNode usage = run.path("usage");
    assertThat(usage.path("llmCalls").asLong()).isEqualTo(2);
    assertThat(usage.path("toolCalls").asLong()).isEqualTo(1);
    assertThat(usage.path("inputTokens").asLong()).isEqualTo(36);
    assertThat(usage.path("outputTokens").asLong()).isEqualTo(13);
    assertThat(usage.path("costUsd").asDouble()).isCloseTo(62e-6, within(1e-12));
  }

  String showJson(String runId) {
    StringWriter savedOut = out;
    StringWriter savedErr = err;
    assertThat(execute("show", runId, "--json", "--config", config.toString())).isZero();
    String json = out.toString();
    out = savedOut;
    err = savedErr;
    return json;
  }
}
