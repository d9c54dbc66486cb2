package dev.agentrt.examples;

import static dev.agentrt.testkit.AgentAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.RunResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link EmbeddingExample}, the code README.md shows, as a user would: its own runtime on
 * {@code src/main/resources/triage-agent} (not a testkit runtime, which would run a copy); the
 * testkit's assertions check the run it returns.
 */
class EmbeddingExampleTest {
  private static final Path CONFIG = Path.of("src/main/resources/triage-agent");

  @Test
  void triage_urgentTicket_pagesOnCall() {
    RunResult r = EmbeddingExample.triage(CONFIG, "Disk full on db-1");

    assertThat(r).isCompleted().hasStepKeys("start#0", "classify#0", "page#0", "paged#0");
    assertThat(r.output().toString())
        .isEqualTo("{\"action\":\"page-on-call\",\"ticket\":\"Disk full on db-1\"}");
  }

  @Test
  void triage_normalTicket_takesDefaultEdgeToQueue() {
    RunResult r = EmbeddingExample.triage(CONFIG, "Typo on the pricing page");

    assertThat(r)
        .hasOutputAt("action", "add-to-queue")
        .hasStepKeys("start#0", "classify#0", "queue#0", "queued#0");
  }
}
