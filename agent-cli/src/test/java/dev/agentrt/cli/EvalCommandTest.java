package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.testkit.eval.EvalSuite;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import picocli.CommandLine;

/** {@code agentrt eval}, in process: the repository's own cases, reports, exit codes. */
class EvalCommandTest {
  static final Path AGENT = Path.of("../.agent");

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int execute(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void eval_repositoryCases_allPassWithATableAndJUnitXml() throws Exception {
    Path xml = dir.resolve("reports/evals.xml");

    int code = execute("eval", "--config", AGENT.toString(), "--junit-xml", xml.toString());

    assertThat(code).as(out + "\n" + err).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("CASE           WORKFLOW       RESULT  RUNS  LLM CALLS  TOKENS  COST USD  TIME");
    assertThat(lines.subList(1, 7))
        .extracting(l -> l.split(" +")[0] + " " + l.split(" +")[2] + " " + l.split(" +")[4])
        .containsExactly(
            "ask PASS 2",
            "feature-add PASS 9",
            "hello PASS 0",
            "release-notes PASS 0",
            "research PASS 3",
            "triage PASS 1");
    assertThat(lines.get(7)).isEqualTo("6 passed, 0 failed");

    Element suite =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(xml.toFile())
            .getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo("6");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(6);
  }

  @Test
  void eval_jsonAndFilter_printsOnlyTheMatchingCases() throws IOException {
    int code = execute("eval", "--config", AGENT.toString(), "--json", "--filter", "*-notes");

    assertThat(code).as(err.toString()).isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.path("passed").asBoolean()).isTrue();
    assertThat(root.path("total").asInt()).isEqualTo(1);
    assertThat(root.path("cases").path(0).path("name").asText()).isEqualTo("release-notes");
    assertThat(root.path("cases").path(0).path("workflow").asText()).isEqualTo("release-notes");
  }

  @Test
  void eval_failingCase_exits1AndPrintsItsFailures() throws IOException {
    config("expect: {output: [{path: greeting, equals: 'Hello, Bob!'}]}");

    int code = execute("eval", "--config", dir.toString());

    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains("0 passed, 1 failed")
        .contains(
            "greet failed:\n"
                + "  - output.greeting equals: expected \"Hello, Bob!\" but was \"Hello, Ada!\"");
  }

  @Test
  void eval_badEvalFile_exits2WithFileLineColumn() throws IOException {
    config("expect: {stauts: COMPLETED}");

    int code = execute("eval", "--config", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "agentrt: evals/greet.yml:3:10: unknown key 'stauts' (did you mean 'status'?) (keys:"
                + " status, reason, output, steps, max_cost_usd, max_llm_calls)"
                + System.lineSeparator());
  }

  @Test
  void eval_noMatchingCase_exits2() throws IOException {
    config("expect: {status: COMPLETED}");

    assertThat(execute("eval", "--config", dir.toString(), "--filter", "nothing")).isEqualTo(2);
    assertThat(err.toString()).contains("no eval case matches 'nothing'");
  }

  /**
   * The CLI bundles agent-testkit without JUnit and AssertJ (agent-cli/pom.xml excludes them): no
   * class of the eval package may refer to either.
   */
  @Test
  void evalPackage_refersToNeitherJUnitNorAssertJ() throws IOException, URISyntaxException {
    Path location =
        Path.of(EvalSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // agent-testkit's classes directory, or its jar once packaged
    try (FileSystem jar =
        Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
      Path root = jar == null ? location : jar.getPath("/");
      List<Path> files;
      try (Stream<Path> s = Files.list(root.resolve("dev/agentrt/testkit/eval"))) {
        files = s.filter(p -> p.toString().endsWith(".class")).toList();
      }
      assertThat(files).hasSizeGreaterThan(5);
      for (Path f : files) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(bytes)
            .as(f.toString())
            .doesNotContain("org/junit")
            .doesNotContain("org/assertj");
      }
    }
  }

  void config(String expect) throws IOException {
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.createDirectories(dir.resolve("workflows"));
    Files.copy(AGENT.resolve("workflows/hello.yml"), dir.resolve("workflows/hello.yml"));
    Files.createDirectories(dir.resolve("evals"));
    Files.writeString(
        dir.resolve("evals/greet.yml"), "workflow: hello\ninput: {name: Ada}\n" + expect + "\n");
  }
}
