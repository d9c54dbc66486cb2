package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code agentrt} command. What needs the real process (the jar's launcher and manifest, exit
 * codes as the shell sees them, the working directory, a run's stdout and stderr end to end) runs
 * the shaded jar as a child process; what a command prints for its arguments runs in this JVM
 * ({@link Agentrt#execute}), which spares a JVM start per test.
 */
class AgentrtCliIT {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The repository's .agent directory (the ITs run the CLI in target/agentrt-cwd, see {@link
   * Agentrt#run}).
   */
  private static final String EXAMPLES =
      Path.of("../.agent").toAbsolutePath().normalize().toString();

  private static final String RELEASE_INPUT =
      "{\"title\":\"Faster startup\",\"kind\":\"bug\",\"changes\":[\"lazy validator\",\"smaller jar\"]}";

  @TempDir Path dir;

  @Test
  void run_releaseNotesJson_printsOneObjectWithSteps() throws IOException {
    Agentrt.Result r =
        Agentrt.run(
            "run", "release-notes", "--config", EXAMPLES, "--json", "--input", RELEASE_INPUT);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode json = parseOneObject(r.stdout());
    assertThat(fieldNames(json))
        .containsExactly("runId", "workflow", "status", "reason", "output", "steps", "durationMs");
    assertThat(json.get("runId").isTextual()).isTrue();
    assertThat(json.get("runId").asText()).isNotBlank();
    assertThat(json.get("workflow").asText()).isEqualTo("release-notes");
    assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(json.get("reason").isNull()).isTrue();
    assertThat(json.get("output"))
        .isEqualTo(
            MAPPER.readTree(
                """
        {"notes": {"title": "Faster startup (bug)", "labels": ["bug", "release-notes"],
                   "lines": ["0. lazy validator", "1. smaller jar"], "revision": 2},
         "reviews": {"iteration": 2, "max": 2, "remaining": 0}}"""));
    assertThat(json.get("durationMs").isIntegralNumber()).isTrue();
    assertThat(json.get("durationMs").asLong()).isNotNegative();

    List<String> keys = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    for (JsonNode step : json.get("steps")) {
      assertThat(fieldNames(step)).containsExactly("key", "node", "status", "attempts");
      assertThat(step.get("status").asText()).as(step.toString()).isEqualTo("COMPLETED");
      assertThat(step.get("attempts").isInt()).as(step.toString()).isTrue();
      keys.add(step.get("key").asText());
      nodes.add(step.get("node").asText());
    }
    assertThat(keys)
        .containsExactly(
            "start#0",
            "classify#0",
            "hotfix#0",
            "fanout#0",
            "fanout#0[summary]/summary#0",
            "fanout#0[labels]/labels#0",
            "joined#0",
            "each_change#0",
            "each_change#0[0]/render#0",
            "each_change#0[1]/render#0",
            "rendered#0",
            "draft#0",
            "review#0",
            "draft#1",
            "review#1",
            "draft#2",
            "review#2",
            "done#0");
    assertThat(nodes)
        .containsExactly(
            "start",
            "classify",
            "hotfix",
            "fanout",
            "summary",
            "labels",
            "joined",
            "each_change",
            "render",
            "render",
            "rendered",
            "draft",
            "review",
            "draft",
            "review",
            "draft",
            "review",
            "done");
    assertThat(step(json, "fanout#0[summary]/summary#0").get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void run_releaseNotesText_printsStatusStepsAndOutput() {
    Agentrt.Result r =
        Agentrt.execute("run", "release-notes", "--config", EXAMPLES, "--input", RELEASE_INPUT);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .startsWith("release-notes: COMPLETED in ")
        .containsPattern("(?m)^Steps:$")
        .containsPattern(
            "(?m)^  fanout#0\\[summary\\]/summary#0 +COMPLETED +" + Agentrt.DURATION + "$")
        .containsPattern("(?m)^  done#0 +COMPLETED +" + Agentrt.DURATION + "$")
        .containsPattern("(?m)^Output:$")
        .contains("\"title\" : \"Faster startup (bug)\"");
  }

  @Test
  void run_inputFromFile_readsTheFile() throws IOException {
    Path input = Files.writeString(dir.resolve("input.json"), "{\"name\": \"Ada\"}");

    Agentrt.Result r =
        Agentrt.execute("run", "hello", "--config", EXAMPLES, "--json", "--input", "@" + input);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(parseOneObject(r.stdout()).get("output"))
        .isEqualTo(MAPPER.readTree("{\"greeting\": \"Hello, Ada!\"}"));
  }

  @Test
  void run_unknownWorkflow_exits2WithKnownWorkflows() {
    Agentrt.Result r = Agentrt.execute("run", "relase-notes", "--config", EXAMPLES);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: no workflow 'relase-notes' (did you mean 'release-notes'?) (known: ask, feature-add, hello, release-notes, research, triage)"
                + System.lineSeparator());
  }

  @Test
  void run_invalidInputJson_exits2WithoutStackTrace() {
    Agentrt.Result r =
        Agentrt.execute("run", "hello", "--config", EXAMPLES, "--input", "{name: Ada}");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .startsWith(
            "--input: invalid JSON at line 1, column 2: Unexpected character ('n' (code 110)): "
                + "was expecting double-quote to start field name (pass an object like '{\"name\":\"Ada\"}', or @file.json)")
        .contains("Try 'agentrt run --help' for more information.")
        .doesNotContain("at dev.", "Exception");
  }

  @Test
  void run_missingInputFile_exits2NamingTheFile() {
    Path missing = dir.resolve("nope.json");

    Agentrt.Result r =
        Agentrt.execute("run", "hello", "--config", EXAMPLES, "--input", "@" + missing);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith("--input @" + missing + ": cannot read " + missing + " (NoSuchFileException)")
        .doesNotContain("at dev.", "at java.");
  }

  @Test
  void run_templatePathMissingFromState_exits1WithNodeFailed() throws IOException {
    writeWorkflow(
        dir,
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: a, kind: transform, template: "{{input.missing.deep}}"}
          - {id: done, role: exit, output: "{{a}}"}
        edges:
          - {from: start, to: a}
          - {from: a, to: done}
        """);

    Agentrt.Result r = Agentrt.run("run", "w", "--config", dir.toString(), "--json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    JsonNode json = parseOneObject(r.stdout());
    assertThat(json.get("status").asText()).isEqualTo("FAILED");
    assertThat(json.get("reason").asText()).isEqualTo("NODE_FAILED");
    assertThat(json.get("output").isNull()).isTrue();
    assertThat(step(json, "a#0").get("status").asText()).isEqualTo("FAILED");
  }

  @Test
  void run_templatePathMissingFromState_textNamesStepAndError() throws IOException {
    // in this JVM a relative default store would land in the module directory: keep it in dir
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + dir.resolve("runs.db") + "'}\n");
    writeWorkflow(
        dir,
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: a, kind: transform, template: "{{input.missing.deep}}"}
          - {id: done, role: exit, output: "{{a}}"}
        edges:
          - {from: start, to: a}
          - {from: a, to: done}
        """);

    Agentrt.Result r = Agentrt.execute("run", "w", "--config", dir.toString());

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stdout())
        .startsWith("w: FAILED (NODE_FAILED) at step a#0 in ")
        .contains(
            "  step 'a#0' (node 'a') failed: template path 'input.missing.deep' is not in state\n")
        .containsPattern("(?m)^  a#0 +FAILED +" + Agentrt.DURATION + "$")
        .endsWith("Output: (none)\n");
  }

  @Test
  void run_interruptBeforeNode_exits3Waiting() throws IOException {
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
    writeWorkflow(
        dir,
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: approve, kind: transform, template: "ok", interrupt: before}
          - {id: done, role: exit, output: "{{approve}}"}
        edges:
          - {from: start, to: approve}
          - {from: approve, to: done}
        """);

    Agentrt.Result r = Agentrt.run("run", "w", "--config", dir.toString(), "--json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
    JsonNode json = parseOneObject(r.stdout());
    assertThat(json.get("status").asText()).isEqualTo("WAITING");
    assertThat(json.get("reason").asText()).isEqualTo("INTERRUPTED");
  }

  @Test
  void validate_edgeToMisspelledNode_printsFileLineColumnAndExits2() throws IOException {
    writeWorkflow(
        dir,
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: a, kind: transform, template: "x"}
          - {id: b, role: exit, output: "{{a}}"}
        edges:
          - {from: start, to: a}
          - from: a
            to: bb
        """);

    Agentrt.Result r = Agentrt.execute("validate", "--config", dir.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "workflows/w.yml:9:9: edge 'a -> bb': no node 'bb' (did you mean 'b'?)"
                + System.lineSeparator());
  }

  @Test
  void run_brokenConfig_printsProblemsAndExits2() throws IOException {
    writeWorkflow(
        dir,
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: b, role: exit}
        edges:
          - {from: start, to: bb}
        """);

    Agentrt.Result r = Agentrt.execute("run", "w", "--config", dir.toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout())
        .as("with --json the error is also one JSON object on stdout")
        .isEqualTo(
            "{\"ok\":false,\"error\":\"1 problem in the agent configuration\",\"exitCode\":2,"
                + "\"problems\":[{\"file\":\"workflows/w.yml\",\"line\":6,\"column\":23,"
                + "\"message\":\"edge 'start -> bb': no node 'bb' (did you mean 'b'?)\"}]}\n");
    assertThat(r.stderr())
        .isEqualTo(
            "workflows/w.yml:6:23: edge 'start -> bb': no node 'bb' (did you mean 'b'?)"
                + System.lineSeparator());
  }

  @Test
  void validate_exampleConfig_printsCountsAndExits0() {
    Agentrt.Result r = Agentrt.execute("validate", "--config", EXAMPLES);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("OK: 6 workflows, 5 agents" + System.lineSeparator());
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void validate_defaultCheckpointStore_createsNoDatabaseInWorkingDirectory() throws IOException {
    Path work = dir.resolve("work");
    writeWorkflow(
        work.resolve(".agent"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """);

    Agentrt.Result r = Agentrt.runIn(work, "validate");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("OK: 1 workflows, 0 agents" + System.lineSeparator());
    assertThat(work.resolve("var")).doesNotExist();
  }

  @Test
  void validate_noConfigOption_usesDotAgentInWorkingDirectory() {
    Agentrt.Result r = Agentrt.runIn(Path.of("..").toAbsolutePath().normalize(), "validate");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("OK: 6 workflows, 5 agents" + System.lineSeparator());
  }

  @Test
  void graph_releaseNotes_printsMermaid() {
    Agentrt.Result r = Agentrt.execute("graph", "release-notes", "--config", EXAMPLES);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).startsWith("graph TD\n").contains("-->");
  }

  @Test
  void graph_unknownWorkflow_exits2() {
    Agentrt.Result r = Agentrt.execute("graph", "nope", "--config", EXAMPLES);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: no workflow 'nope' (known: ask, feature-add, hello, release-notes, research, triage)"
                + System.lineSeparator());
  }

  @Test
  void noCommand_exits2WithHint() {
    Agentrt.Result r = Agentrt.run();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains(
            "Missing command: validate, run, graph, runs, show, resume, replay, fork, memory,"
                + " capabilities or eval",
            "Try 'agentrt --help' for more information.");
  }

  @Test
  void help_listsCommandsAndExitCodes() {
    Agentrt.Result r = Agentrt.execute("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .startsWith("Usage: agentrt")
        .contains("validate", "run", "graph", "3   the run waits for input")
        .containsPattern("(?m)^  runs +Lists the runs of the checkpoint store, newest first\\.$")
        .containsPattern("(?m)^  show +Prints a recorded run and its step log\\.$")
        .containsPattern(
            "(?m)^  resume +Continues a run that waits for input, or one whose process died\\.$")
        .containsPattern("(?m)^  replay +Re-walks a run's step log without executing anything\\.$")
        .containsPattern("(?m)^  fork +Starts a new run from a step of a recorded run\\.$")
        .containsPattern(
            "(?m)^  capabilities +Lists agents, tools and nodes with their capability tags\\.$")
        .containsPattern("(?m)^  eval +Runs the eval cases of the directory's evals/\\*\\.yml");
  }

  @Test
  void version_printsProjectVersion() {
    Agentrt.Result r = Agentrt.run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).matches("agentrt \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  private static void writeWorkflow(Path configDir, String yaml) throws IOException {
    Files.createDirectories(configDir.resolve("workflows"));
    Files.writeString(configDir.resolve("workflows/w.yml"), yaml);
  }

  private static JsonNode parseOneObject(String stdout) {
    try {
      JsonNode json = MAPPER.readTree(stdout);
      assertThat(json.isObject()).as(stdout).isTrue();
      return json;
    } catch (JsonProcessingException e) {
      throw new AssertionError("stdout is not one JSON object:\n" + stdout, e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode step(JsonNode run, String key) {
    for (JsonNode s : run.get("steps")) {
      if (s.get("key").asText().equals(key)) return s;
    }
    throw new AssertionError("no step '" + key + "' in " + run.get("steps"));
  }
}
