package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agentrt init}: a directory that validates, runs offline and passes its eval at once. */
class InitCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = Main.execute(cl, args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void init_thenValidateRunAndEval_allSucceedOffline() throws Exception {
    Path dir = tmp.resolve("shop/.agent");

    Result init = execute("init", dir.toString());

    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out())
        .startsWith("created " + dir + ": config.yml, agents/assistant.yml,")
        .contains("  agentrt run ask --config " + dir + " --input '" + InitCommand.INPUT + "'");
    for (String f : InitCommand.FILES) assertThat(dir.resolve(f)).isRegularFile();

    assertThat(execute("validate", "--config", dir.toString()).code()).isZero();
    Result run =
        execute("run", "ask", "--config", dir.toString(), "--input", InitCommand.INPUT, "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(run.out());
    assertThat(r.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(r.path("output").path("answer").asText()).isEqualTo("Order 42 comes to 99.5.");
    Result eval = execute("eval", "--config", dir.toString());
    assertThat(eval.code()).as(eval.out() + eval.err()).isZero();
    assertThat(eval.out()).contains("1 passed, 0 failed");
  }

  @Test
  void init_nonEmptyDirectory_refusedAndLeftAlone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(dir.resolve("config.yml"), "models: {}\n");

    Result r = execute("init", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("agentrt: " + dir + " exists and is not empty");
    assertThat(Files.readString(dir.resolve("config.yml"))).isEqualTo("models: {}\n");
    assertThat(dir.resolve("agents")).doesNotExist();
  }
}
