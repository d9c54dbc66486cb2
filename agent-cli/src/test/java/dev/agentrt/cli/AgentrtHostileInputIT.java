package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input an attacker or a careless user gives the CLI: each is refused with one line on stderr that
 * names the argument and what to do, exit code 2, no stack trace and nothing written; and what a
 * run prints cannot fail once the run has happened.
 */
class AgentrtHostileInputIT {
  private static final String NL = System.lineSeparator();
  private static final String EXAMPLE =
      " (pass an object like '{\"name\":\"Ada\"}', or @file.json)";

  /** Reads what the CLI may print, however deep: the assertions, not the parser, decide. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(5000).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String ECHO =
      """
      id: echo
      nodes:
        - {id: start, role: start}
        - {id: done, role: exit, output: "{{input}}"}
      edges:
        - {from: start, to: done}
      """;

  @TempDir Path dir;
  private Path config;
  private Path db;

  @BeforeEach
  void configDir() throws IOException {
    config = dir.resolve("agent");
    db = dir.resolve("runs.db");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.writeString(config.resolve("workflows/echo.yml"), ECHO);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"a\":1} trailing", "{\"a\":1} {\"b\":2}", "{\"a\":1}]"})
  void run_textAfterTheJsonValue_exits2NamingInputAndStartsNoRun(String input) {
    Agentrt.Result r = cli("run", "echo", "--input", input);

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "--input: unexpected text after the JSON value at line 1, column 8; pass exactly "
                + "one JSON value"
                + EXAMPLE
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
    assertNoRuns();
  }

  @Test
  void run_inputAtTheDepthLimit_completesAndIsListedAndPrinted() {
    String input = "[".repeat(100) + "]".repeat(100);

    Agentrt.Result r = cli("run", "echo", "--json", "--input", input);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode run = parse(r.stdout());
    assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(run.get("output")).isEqualTo(parse(input));
    Agentrt.Result runs = cli("runs", "--json");
    assertThat(runs.exitCode()).as(runs.stderr()).isZero();
    assertThat(parse(runs.stdout()).get(0).get("runId").asText())
        .isEqualTo(run.get("runId").asText());
    Agentrt.Result show = cli("show", run.get("runId").asText(), "--json");
    assertThat(show.exitCode()).as(show.stderr()).isZero();
    assertThat(parse(show.stdout()).get("input")).isEqualTo(parse(input));
  }

  @Test
  void run_inputNestedDeeperThanTheLimit_exits2NamingInputAndStartsNoRun() {
    Agentrt.Result r =
        cli(
            "run",
            "echo",
            "--json",
            "--input",
            "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stdout()).startsWith("{\"ok\":false,\"error\":\"--input: the JSON is nested");
    assertThat(r.stderr())
        .isEqualTo(
            "--input: the JSON is nested more than 100 levels deep at line 1, column 105; at "
                + "most 100 levels of arrays and objects are accepted (flatten it)"
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
    assertNoRuns();
  }

  @Test
  void run_numberLongerThanJsonReads_exits2AsInvalidJsonNotAsNesting() {
    Agentrt.Result r = cli("run", "echo", "--input", "{\"n\":1" + "0".repeat(1000) + "}");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith("--input: invalid JSON at line 1, column ")
        .contains(": Number value length (1001) exceeds the maximum allowed (1000")
        .endsWith(EXAMPLE + NL + "Try 'agentrt run --help' for more information." + NL);
    assertNoRuns();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void run_inputFromDevZero_exits2AtOnceWithoutReadingIt() {
    Agentrt.Result r = cliProcess("run", "echo", "--input", "@/dev/zero");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "--input @/dev/zero: /dev/zero is not a regular file (a device, pipe or socket); "
                + "pass a JSON file, or the JSON itself"
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
    assertNoRuns();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void run_inputFromAFifoNobodyWrites_exits2WithoutBlocking() throws Exception {
    Path fifo = dir.resolve("input.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();

    Agentrt.Result r = cliProcess("run", "echo", "--input", "@" + fifo);

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "--input @"
                + fifo
                + ": "
                + fifo
                + " is not a regular file (a device, pipe or "
                + "socket); pass a JSON file, or the JSON itself"
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
    assertNoRuns();
  }

  @Test
  void run_inputFromADirectory_exits2() {
    Agentrt.Result r = cli("run", "echo", "--input", "@" + dir);

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "--input @"
                + dir
                + ": "
                + dir
                + " is not a regular file (a directory); pass a "
                + "JSON file, or the JSON itself"
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
  }

  @Test
  void run_inputFileLargerThanTheLimit_exits2WithoutReadingIt() throws IOException {
    Path big = dir.resolve("big.json");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(17L * 1024 * 1024); // sparse: nothing to write, nothing the CLI may read
    }

    Agentrt.Result r = cli("run", "echo", "--input", "@" + big);

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "--input @"
                + big
                + ": the input is 17.0 MiB, more than the 16 MiB an input may "
                + "be; pass large data by reference (such as a file path or URL in the input)"
                + NL
                + "Try 'agentrt run --help' for more information."
                + NL);
    assertNoRuns();
  }

  @Test
  void resume_textAfterTheJsonValue_exits2AndTheRunStillWaits() throws IOException {
    Files.writeString(
        config.resolve("workflows/approval.yml"),
        """
        id: approval
        nodes:
          - {id: start, role: start}
          - {id: approve, kind: transform, interrupt: before, template: "{{$resume.approve}}"}
          - {id: done, role: exit, output: "{{approve}}"}
        edges:
          - {from: start, to: approve}
          - {from: approve, to: done}
        """);
    Agentrt.Result waiting = cli("run", "approval", "--json");
    assertThat(waiting.exitCode()).as(waiting.stderr()).isEqualTo(3);
    String runId = parse(waiting.stdout()).get("runId").asText();

    Agentrt.Result r = cli("resume", runId, "--input", "{\"ok\":true}}");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "--input: unexpected text after the JSON value at line 1, column 12; pass exactly "
                + "one JSON value"
                + EXAMPLE
                + NL
                + "Try 'agentrt resume --help' for more information."
                + NL);
    Agentrt.Result show = cli("show", runId, "--json");
    assertThat(parse(show.stdout()).get("status").asText()).isEqualTo("WAITING");
    assertThat(parse(show.stdout()).get("steps")).hasSize(2);
  }

  /**
   * A workflow {@code deep} of {@code n} transforms, each nesting the previous output 37 levels
   * deeper.
   */
  private void deepWorkflow(int n) throws IOException {
    StringBuilder wf = new StringBuilder("id: deep\nnodes:\n  - {id: start, role: start}\n");
    StringBuilder edges = new StringBuilder("edges:\n");
    String previous = "start";
    for (int i = 1; i <= n; i++) {
      String from = i == 1 ? "input" : "n" + (i - 1);
      wf.append("  - {id: n")
          .append(i)
          .append(", kind: transform, template: ")
          .append("[".repeat(37))
          .append("\"{{")
          .append(from)
          .append("}}\"")
          .append("]".repeat(37))
          .append("}\n");
      edges.append("  - {from: ").append(previous).append(", to: n").append(i).append("}\n");
      previous = "n" + i;
    }
    wf.append("  - {id: done, role: exit, output: \"{{n").append(n).append("}}\"}\n");
    edges.append("  - {from: n").append(n).append(", to: done}\n");
    Files.writeString(config.resolve("workflows/deep.yml"), wf.toString() + edges);
  }

  /**
   * From the input {@code []}, 27 transforms build an output 1 + 27 * 37 = 1000 levels deep: as
   * deep as the store keeps, and one level deeper than Jackson writes by default once it sits in
   * the result object.
   */
  @Test
  void runJson_outputAsDeepAsTheStoreKeeps_printsItAndShowPrintsTheRecordedRun() throws Exception {
    deepWorkflow(27);

    Agentrt.Result r = cli("run", "deep", "--json", "--input", "[]");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode run = parse(r.stdout());
    assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(depth(run.get("output"))).isEqualTo(1000);
    Agentrt.Result show = cli("show", run.get("runId").asText(), "--json");
    assertThat(show.exitCode()).as(show.stderr()).isZero();
    assertThat(parse(show.stdout()).get("output")).isEqualTo(run.get("output"));
  }

  /**
   * With a store that writes nothing, 30 transforms build an output 1 + 30 * 37 = 1111 levels deep,
   * more than the CLI writes: the run completed, so it is printed without its output, saying why.
   */
  @Test
  void run_completedRunWhoseOutputCannotBePrinted_exits0WithTheResultAndSaysWhy() throws Exception {
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");
    deepWorkflow(30);
    String why =
        "Document nesting depth (1101) exceeds the maximum allowed (1100, from "
            + "`StreamWriteConstraints.getMaxNestingDepth()`)";

    Agentrt.Result r = cli("run", "deep", "--json", "--input", "[]");

    assertThat(r.exitCode()).as("the run completed: " + r.stderr()).isZero();
    JsonNode run = parse(r.stdout());
    String runId = run.get("runId").asText();
    assertThat(fieldNames(run))
        .containsExactly(
            "runId",
            "workflow",
            "status",
            "reason",
            "output",
            "outputError",
            "steps",
            "durationMs");
    assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(run.get("output").isNull()).isTrue();
    assertThat(run.get("outputError").asText()).isEqualTo("the output cannot be printed: " + why);
    assertThat(run.get("steps")).hasSize(32);
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: run '"
                + runId
                + "' is COMPLETED, but its output cannot be printed: "
                + why
                + NL);

    Agentrt.Result text = cli("run", "deep", "--input", "[]");

    assertThat(text.exitCode()).as(text.stderr()).isZero();
    assertThat(text.stdout())
        .startsWith("deep: COMPLETED in ")
        .endsWith("\nOutput: (cannot be printed: " + why + ")\n");
    assertThat(text.stderr()).endsWith(", but its output cannot be printed: " + why + NL);
  }

  /** Nesting of arrays along the first element. */
  private static int depth(JsonNode value) {
    int depth = 0;
    for (JsonNode n = value; n != null && n.isContainerNode(); n = n.get(0)) depth++;
    return depth;
  }

  @Test
  void runs_oneRunWhoseRecordCannotBeReadBack_listsTheOthersAndNamesIt() throws Exception {
    String first = completedEcho();
    String broken = completedEcho();
    String third = completedEcho();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = 99 WHERE run_id = ?")) {
      ps.setString(1, broken);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    Agentrt.Result json = cli("runs", "--json");
    Agentrt.Result text = cli("runs");

    String problem =
        "agentrt: checkpoint store "
            + db.toAbsolutePath().normalize()
            + ": run '"
            + broken
            + "': field "
            + "'status': unknown code 99 (a newer agentrt may have written it) (the record cannot be read back, so the run cannot be resumed from it; "
            + "restore the store from a backup)"
            + NL;
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    assertThat(json.stderr()).isEqualTo(problem);
    List<String> ids = new ArrayList<>();
    for (JsonNode run : parse(json.stdout())) ids.add(run.get("runId").asText());
    assertThat(ids).containsExactly(third, first);
    assertThat(text.exitCode()).as(text.stderr()).isZero();
    assertThat(text.stderr()).isEqualTo(problem);
    assertThat(text.stdout().split("\n")).hasSize(3);
  }

  private String completedEcho() {
    Agentrt.Result r = cli("run", "echo", "--json", "--input", "{\"n\":1}");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return parse(r.stdout()).get("runId").asText();
  }

  private void assertNoRuns() {
    Agentrt.Result runs = cli("runs", "--json");
    assertThat(runs.exitCode()).as(runs.stderr()).isZero();
    assertThat(runs.stdout()).as("nothing was written").isEqualTo("[]\n");
  }

  /** {@code agentrt args... --config <temp dir>}, in this JVM. */
  private Agentrt.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config.toString());
    return Agentrt.execute(all.toArray(String[]::new));
  }

  /**
   * {@link #cli} in a child process of the shaded jar: for input that would block a reader, so that
   * a regression is a timed-out child, not a hung test JVM.
   */
  private Agentrt.Result cliProcess(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config.toString());
    return Agentrt.run(all.toArray(String[]::new));
  }

  private static JsonNode parse(String stdout) {
    try {
      return MAPPER.readTree(stdout);
    } catch (JsonProcessingException e) {
      throw new AssertionError("stdout is not one JSON value:\n" + stdout, e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
