package dev.agentrt.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.WatchRuns;
import dev.agentrt.core.RunStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/inspector.md shows the code of {@code com.example.WatchRuns}, which runs here. */
class InspectorGuideTest {
  static final Path GUIDE = Path.of("../docs/inspector.md");
  static final Path SOURCE = Path.of("src/test/java/com/example/WatchRuns.java");

  @TempDir Path tmp;

  @Test
  void theGuideShowsTheExampleThatRuns() throws Exception {
    String source = Files.readString(SOURCE);
    String body =
        source.substring(
            source.indexOf("// docs:start\n") + "// docs:start\n".length(),
            source.indexOf("    // docs:end"));
    String shown = body.replaceAll("(?m)^    ", "");
    assertThat(Files.readString(GUIDE))
        .as("docs/inspector.md shows WatchRuns.watch as it is")
        .contains("```java\n" + shown + "```");

    Path config = Files.createDirectories(tmp.resolve("agent/workflows"));
    Files.writeString(tmp.resolve("agent/config.yml"), "checkpoint: {store: memory}\n");
    Files.copy(InspectorFixture.AGENT.resolve("workflows/hello.yml"), config.resolve("hello.yml"));
    List<String> seen = new ArrayList<>();
    WatchRuns.watch(
        tmp.resolve("agent"),
        0,
        (uri, run) -> {
          assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
          try {
            seen.add(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(uri.resolve("/api/runs")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          seen.add(run.runId());
        });
    assertThat(seen.get(0))
        .contains("\"runId\":\"" + seen.get(1) + "\"", "\"status\":\"COMPLETED\"");
  }
}
