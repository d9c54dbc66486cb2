package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** With --json, every error is also one JSON object on stdout: {ok: false, error, exitCode}. */
class JsonErrorsTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void config() throws Exception {
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/hello.yml"),
        """
        id: hello
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """);
  }

  int execute(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return Main.execute(cl, args);
  }

  JsonNode stdout() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void unknownWorkflow_jsonErrorOnStdout_messageOnStderr() throws Exception {
    int code = execute("run", "helo", "--config", dir.toString(), "--json");

    assertThat(code).isEqualTo(2);
    JsonNode e = stdout();
    assertThat(e.path("ok").asBoolean(true)).isFalse();
    assertThat(e.path("exitCode").asInt()).isEqualTo(2);
    assertThat(e.path("error").asText()).startsWith("no workflow 'helo' (did you mean 'hello'?)");
    assertThat(err.toString()).startsWith("agentrt: no workflow 'helo'");
  }

  @Test
  void badOption_jsonUsageError() throws Exception {
    int code = execute("runs", "--config", dir.toString(), "--json", "--limit", "0");

    assertThat(code).isEqualTo(2);
    assertThat(stdout().toString())
        .isEqualTo("{\"ok\":false,\"error\":\"--limit must be at least 1, was 0\",\"exitCode\":2}");
  }

  @Test
  void invalidConfiguration_jsonListsTheProblemsWithTheirPlace() throws Exception {
    Files.writeString(dir.resolve("workflows/hello.yml"), "id: hello\nnodes: [\n");

    int code = execute("runs", "--config", dir.toString(), "--json");

    assertThat(code).isEqualTo(2);
    JsonNode e = stdout();
    assertThat(e.path("error").asText()).isEqualTo("1 problem in the agent configuration");
    JsonNode p = e.path("problems").path(0);
    assertThat(p.path("file").asText()).isEqualTo("workflows/hello.yml");
    assertThat(p.path("line").asInt()).isPositive();
    assertThat(p.path("message").asText()).startsWith("invalid YAML");
  }

  @Test
  void withoutJson_stdoutStaysEmpty() {
    assertThat(execute("run", "helo", "--config", dir.toString())).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }
}
