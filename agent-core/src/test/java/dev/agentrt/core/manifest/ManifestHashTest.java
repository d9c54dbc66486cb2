package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run records its workflow's hash; everything that shapes the run is in it. */
class ManifestHashTest {
  @TempDir Path dir;

  private ManifestFixture fixture(String prompt) {
    return new ManifestFixture(dir)
        .executor("agent")
        .file("prompts/writer.md", prompt)
        .agent("writer", "name: writer\nsystem: prompts/writer.md\n")
        .workflow(
            """
            id: x
            nodes:
              - {id: start, role: start}
              - {id: write, kind: agent, agent: writer}
              - {id: done, role: exit}
            edges:
              - {from: start, to: write}
              - {from: write, to: done}
            """);
  }

  @Test
  void hash_systemPromptChanged_changes() {
    String before = fixture("Write tersely.").load().hash("x");
    String same = fixture("Write tersely.").load().hash("x");
    String after = fixture("Write at length.").load().hash("x");

    assertThat(same).isEqualTo(before);
    assertThat(after).isNotEqualTo(before).hasSize(64);
  }
}
