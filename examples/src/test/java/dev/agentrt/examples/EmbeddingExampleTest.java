package dev.agentrt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {
  private static final Path CONFIG = Path.of("src/main/resources/triage-agent");

  @Test
  void triage_urgentTicket_pagesOnCall() {
    RunResult r = EmbeddingExample.triage(CONFIG, "Disk full on db-1");

    assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().toString())
        .isEqualTo("{\"action\":\"page-on-call\",\"ticket\":\"Disk full on db-1\"}");
    assertThat(r.steps())
        .extracting(StepResult::key)
        .containsExactly("start#0", "classify#0", "page#0", "paged#0");
  }

  @Test
  void triage_normalTicket_takesDefaultEdgeToQueue() {
    RunResult r = EmbeddingExample.triage(CONFIG, "Typo on the pricing page");

    assertThat(r.output().path("action").asText()).isEqualTo("add-to-queue");
    assertThat(r.steps())
        .extracting(StepResult::key)
        .containsExactly("start#0", "classify#0", "queue#0", "queued#0");
  }
}
