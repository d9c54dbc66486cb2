package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tests.run} with real Maven on a fixture project (one passing, one failing JUnit 5 test).
 * Runs offline ({@code -o}): the fixture uses only versions agentrt's own build has resolved.
 * Skipped when {@code mvn} is not on PATH.
 */
class TestsRunMavenIT {
  @TempDir Path ws;

  @Test
  void run_mavenFixture_parsesSurefireReports() throws IOException {
    assumeTrue(Processes.onPath("mvn", System.getenv("PATH")).isPresent(), "mvn is not on PATH");
    assumeTrue(
        mavenAtLeast3_9(),
        "the mvn on PATH is older than 3.9: it puts plexus-utils 1.1 on plugins' class path, which"
            + " an offline repository filled by agentrt's build (Maven 3.9) does not hold");
    copy(Path.of("src/test/resources/tests-run-maven-fixture"), ws);
    String settings = "{'command': ['mvn', '-o', '-q', '-B', 'test'], 'timeout': 'PT5M'}";
    try (ToolBus bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new TestsRunTool())
            .timeout(java.time.Duration.ofMinutes(5))
            .policy(
                ToolPolicy.builder()
                    .workspace(ws)
                    .toolSettings("tests.run", TestSupport.json(settings))
                    .build())
            .build()) {

      JsonNode v = value(bus.call(ToolInvocation.of("tests.run", args())));

      assertThat(v.get("exit_code").asInt()).as(v.get("output_tail").asText()).isEqualTo(1);
      assertThat(v.get("total").asInt()).isEqualTo(2);
      assertThat(v.get("passed").asInt()).isEqualTo(1);
      assertThat(v.get("failed").asInt()).isEqualTo(1);
      assertThat(v.get("failures"))
          .isEqualTo(
              TestSupport.json(
                  "[{'class': 'demo.CalculatorTest', 'name': 'divide', "
                      + "'kind': 'failure', 'type': 'org.opentest4j.AssertionFailedError', 'message': 'expected: <2> but was: <3>', "
                      + "'location': 'CalculatorTest.java:15'}]"));
    }
  }

  static void copy(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(d).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.copy(f, to.resolve(from.relativize(f).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Whether {@code mvn -v} reports Maven 3.9 or later. */
  private static boolean mavenAtLeast3_9() throws IOException {
    Process p = new ProcessBuilder("mvn", "-v").redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Apache Maven (\\d+)\\.(\\d+)").matcher(out);
    if (!m.find()) return false;
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 3 || (major == 3 && minor >= 9);
  }
}
