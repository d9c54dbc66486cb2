package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt shell} in the shaded jar, its stdin a file of lines: JLine (and its terminal
 * providers, merged by the shade plugin) reads them without a terminal, the profile maps a line,
 * and the end of the input ends the session with 0.
 */
class AgentrtShellIT {
  @TempDir Path tmp;

  @Test
  void pipedLines_runThroughTheJar_andEndOfInputExitsZero() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("agent/workflows"));
    Files.writeString(
        config.resolveSibling("config.yml"),
        "checkpoint: {store: sqlite, path: '" + tmp.resolve("runs.db") + "'}\n");
    Files.writeString(
        config.resolve("echo.yml"),
        """
        id: echo
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, output: "{{input}}"}
        edges:
          - {from: start, to: done}
        """);
    Files.writeString(
        config.resolveSibling(ShellProfiles.FILE),
        "profiles: {say: {workflow: echo, input: {text: \"{{line}}\"}}}\n");
    Path typed = tmp.resolve("typed.txt");
    Files.writeString(typed, "it's a piped line!\n/nope\n/history\n");
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");

    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    Agentrt.jar().toString(),
                    "shell",
                    "--config",
                    config.getParent().toString(),
                    "--session",
                    tmp.resolve("session.json").toString()))
            .directory(tmp.toFile())
            .redirectInput(typed.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS))
        .as("the shell ends at the end of its input")
        .isTrue();

    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stdout + stderr).isZero();
    assertThat(stdout)
        .contains("agentrt shell: profile 'say'")
        .contains("echo: COMPLETED")
        .contains("\"text\" : \"it's a piped line!\"")
        .containsPattern("(?m)^1 +\\S+ +echo +COMPLETED +it's a piped line!$");
    assertThat(stderr).isEqualTo("agentrt: unknown command '/nope'; /help lists the commands\n");
    assertThat(RunReport.MAPPER.readTree(tmp.resolve("session.json").toFile()).get("history"))
        .hasSize(1);
  }
}
