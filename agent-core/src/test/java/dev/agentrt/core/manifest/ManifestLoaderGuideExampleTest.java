package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/workflows.md ("Loading without running"), kept compiling and running. */
class ManifestLoaderGuideExampleTest {
  static final Path GUIDE = Path.of("../docs/workflows.md");

  @TempDir Path dir;

  /** The guide's code, with {@code .agent} and the two streams as parameters. */
  static void example(Path agentDir, PrintStream out, PrintStream err) {
    ManifestLoader loader =
        ManifestLoader.builder()
            .function("score") // the functions the runtime registers with
            // AgentRuntime.builder().function(...)
            .build();
    ManifestLoader.Result result = loader.load(agentDir);
    for (ManifestProblem p : result.problems()) {
      err.println(p); // config.yml:2:3: checkpoint: unknown key 'pth' (did you mean 'path'?)
    }
    if (result.isValid()) {
      Manifests manifests =
          result.orThrow(); // orThrow() throws ManifestException listing every problem
      out.println(manifests.workflows().keySet());
    }
  }

  @Test
  void example_matchesTheGuide() throws IOException {
    String guide = Files.readString(GUIDE);

    assertThat(guide)
        .contains(
            "ManifestLoader loader = ManifestLoader.builder()\n    .function(\"score\")",
            "ManifestLoader.Result result = loader.load(Path.of(\".agent\"));",
            "for (ManifestProblem p : result.problems()) {\n  System.err.println(p); // config.yml:2:3: checkpoint:"
                + " unknown key 'pth' (did you mean 'path'?)",
            "if (result.isValid()) {\n  Manifests manifests = result.orThrow();",
            "System.out.println(manifests.workflows().keySet());");
  }

  @Test
  void example_brokenDirectory_printsTheProblemTheGuideShows() {
    new ManifestFixture(dir)
        .config("checkpoint:\n  pth: runs.db\n")
        .workflow(ManifestLoaderTest.TRANSFORM);

    assertThat(run(dir))
        .isEqualTo(
            new String[] {
              "",
              "config.yml:2:3: checkpoint: unknown key 'pth' (did you mean 'path'?)"
                  + System.lineSeparator()
            });
  }

  @Test
  void example_validDirectory_printsTheWorkflows() {
    new ManifestFixture(dir)
        .workflow(
            ManifestLoaderTest.TRANSFORM.replace(
                "kind: transform, template: hi", "kind: function, function: score"));

    assertThat(run(dir)).isEqualTo(new String[] {"[x]" + System.lineSeparator(), ""});
  }

  private static String[] run(Path agentDir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    example(
        agentDir,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
  }
}
