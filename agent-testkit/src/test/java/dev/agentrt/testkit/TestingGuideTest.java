package dev.agentrt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md shows a first agent test: the files it shows are the ones this module compiles
 * and runs ({@code com.example.ReviewAgentTest} and its configuration), word for word.
 */
class TestingGuideTest {
  static final Path GUIDE = Path.of("../docs/testing.md");

  @Test
  void theGuideShowsTheTestThatRuns() throws IOException {
    String guide = Files.readString(GUIDE);
    for (String file :
        new String[] {
          "src/test/java/com/example/ReviewAgentTest.java",
          "src/test/resources/review-agent/config.yml",
          "src/test/resources/review-agent/agents/reviewer.yml",
          "src/test/resources/review-agent/workflows/review.yml",
          "src/test/resources/review-agent/scripts/revise.yml"
        }) {
      String body = Files.readString(Path.of(file));
      if (file.endsWith(".java")) body = body.substring(body.indexOf("import static"));
      assertThat(guide).as("docs/testing.md shows %s as it is", file).contains(body);
    }
  }
}
