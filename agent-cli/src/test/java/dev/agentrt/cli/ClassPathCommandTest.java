package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.NodeFunction;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's triage example, whose {@code classify} is a Java function: commands that only read
 * it warn that the function is not on the class path; {@code run} needs it, from {@code
 * --classpath}.
 */
class ClassPathCommandTest {
  static final Path TRIAGE = Path.of("../examples/src/main/resources/triage-agent");
  static final String INPUT = "{\"text\":\"the site is down\"}";

  /** The compiled FunctionProvider, shared by the tests (compiling takes a few seconds). */
  @TempDir static Path compiled;

  static Path classes;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int execute(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return Main.execute(cl, args);
  }

  @Test
  void validate_functionNotOnTheClassPath_succeedsWithAWarningNamingIt() {
    int code = execute("validate", "--config", TRIAGE.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("OK: 1 workflows, 0 agents\n");
    assertThat(err.toString())
        .startsWith("agentrt: warning: workflows/triage.yml:")
        .contains("node 'classify': function 'classify' is not registered");
  }

  @Test
  void validateJson_functionNotOnTheClassPath_listsTheWarning() throws IOException {
    int code = execute("validate", "--config", TRIAGE.toString(), "--json");

    assertThat(code).isZero();
    JsonNode o = new ObjectMapper().readTree(out.toString());
    assertThat(o.path("ok").asBoolean()).isTrue();
    assertThat(o.path("workflows").asInt()).isEqualTo(1);
    JsonNode w = o.path("warnings").path(0);
    assertThat(w.path("file").asText()).isEqualTo("workflows/triage.yml");
    assertThat(w.path("line").asInt()).isEqualTo(5);
    assertThat(w.path("message").asText()).contains("function 'classify' is not registered");
    assertThat(o.path("warnings")).hasSize(1);
  }

  @Test
  void graph_functionNotOnTheClassPath_printsTheDiagramAndAWarning() {
    int code = execute("graph", "triage", "--config", TRIAGE.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("classify");
    assertThat(err.toString()).contains("warning").contains("function 'classify'");
  }

  @Test
  void run_functionNotOnTheClassPath_exits2NamingTheFunctionAndClasspath() {
    int code = execute("run", "triage", "--config", TRIAGE.toString(), "--input", INPUT);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("agentrt: function 'classify' is not registered")
        .contains("--classpath")
        .contains("workflows/triage.yml:5:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void run_classpathWithAFunctionProvider_completes() throws Exception {
    compileTriageFunctions();

    int code =
        execute(
            "run",
            "triage",
            "--config",
            TRIAGE.toString(),
            "--input",
            INPUT,
            "--json",
            "--classpath",
            classes.toString());

    assertThat(code).as(err.toString()).isZero();
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertThat(r.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(r.path("output").path("action").asText()).isEqualTo("page-on-call");
  }

  @Test
  void validate_globalClasspathBeforeTheCommand_knowsTheFunction() throws Exception {
    compileTriageFunctions();

    int code = execute("-cp", classes.toString(), "validate", "--config", TRIAGE.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void classpath_missingEntry_isAUsageErrorNamingIt() {
    String missing = compiled.resolve("nope.jar").toString();

    int code = execute("validate", "--config", TRIAGE.toString(), "--classpath", missing);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--classpath: no file or directory '" + missing + "'");
  }

  @Test
  void runs_functionNotOnTheClassPath_listsWithAWarning() {
    int code = execute("runs", "--config", TRIAGE.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).startsWith("agentrt: warning: workflows/triage.yml:5:");
  }

  @Test
  void replay_functionNotOnTheClassPath_warnsBeforeLookingTheRunUp() {
    int code = execute("replay", "nope", "--config", TRIAGE.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("agentrt: warning: workflows/triage.yml:5:")
        .contains("agentrt: no run 'nope'");
  }

  /**
   * Compiles a FunctionProvider of {@code classify} (always urgent) into {@link #compiled} once and
   * sets {@link #classes}.
   */
  static synchronized void compileTriageFunctions() throws IOException, URISyntaxException {
    if (classes != null) return;
    Path source = compiled.resolve("src/app/TriageFunctions.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        """
        package app;

        import com.fasterxml.jackson.databind.node.JsonNodeFactory;
        import dev.agentrt.core.NodeFunction;
        import dev.agentrt.core.spi.FunctionProvider;
        import java.util.Map;

        public final class TriageFunctions implements FunctionProvider {
          @Override
          public Map<String, NodeFunction> functions() {
            return Map.of(
                "classify",
                (input, context) -> JsonNodeFactory.instance.objectNode().put("severity", "urgent"));
          }
        }
        """);
    String classPath =
        String.join(
            File.pathSeparator,
            jarOf(NodeFunction.class).toString(),
            jarOf(JsonNode.class).toString(),
            jarOf(com.fasterxml.jackson.core.JsonParser.class).toString());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    int rc =
        javac.run(
            null,
            null,
            new java.io.PrintStream(
                new java.io.OutputStream() {
                  @Override
                  public void write(int b) {
                    diagnostics.write(b);
                  }
                },
                true),
            List.of(
                    "-classpath",
                    classPath,
                    "-d",
                    compiled.toString(),
                    "-proc:none",
                    source.toString())
                .toArray(String[]::new));
    assertThat(rc).as(diagnostics.toString()).isZero();
    Path services = compiled.resolve("META-INF/services/dev.agentrt.core.spi.FunctionProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "app.TriageFunctions\n");
    classes = compiled;
  }

  static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
