package dev.agentrt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void releaseNotes_runs() {
    try (AgentRuntime rt = AgentRuntime.builder().configDir(Path.of("../.agent")).build()) {
      RunResult r = rt.run("release-notes", Map.of("title", "Faster startup", "kind", "bug",
          "changes", List.of("lazy validator", "smaller jar")));
      System.out.println(r.status() + " " + r.message() + " " + r.output().toPrettyString());
      r.steps().forEach(s -> System.out.println(s.key() + " " + s.status() + " " + s.output()));
      System.out.println(rt.mermaid("release-notes"));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
    }
  }
}
