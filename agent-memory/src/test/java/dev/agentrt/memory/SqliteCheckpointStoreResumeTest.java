package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over the store: a run suspended by one runtime is resumed by a new one on the same
 * file.
 */
class SqliteCheckpointStoreResumeTest {
  @TempDir Path dir;

  @Test
  void resume_afterRuntimeAndStoreRestart_completesRunWithoutRerunningCompletedSteps()
      throws Exception {
    Path config = Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(
        config.resolve("approve.yml"),
        """
        id: approve
        nodes:
          - {id: start, role: start}
          - {id: draft, kind: function, function: draft}
          - id: publish
            kind: transform
            interrupt: before
            template: {text: "{{draft.text}}", approved: "{{$resume.publish.approved}}"}
          - {id: done, role: exit, output: "{{publish}}"}
        edges:
          - {from: start, to: draft}
          - {from: draft, to: publish}
          - {from: publish, to: done}
        """);
    Path db = dir.resolve("var/runs.db");
    AtomicInteger drafts = new AtomicInteger();

    String runId;
    try (AgentRuntime rt = runtime(dir.resolve(".agent"), SqliteCheckpointStore.open(db), drafts)) {
      RunResult waiting = rt.run("approve", Map.of("name", "Ada"));
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(waiting.stepKey()).isEqualTo("publish#0");
      runId = waiting.runId();
    }
    assertThat(drafts).hasValue(1);

    SqliteCheckpointStore store = SqliteCheckpointStore.open(db);
    try (AgentRuntime rt = runtime(dir.resolve(".agent"), store, drafts)) {
      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.WAITING);

      RunResult done = rt.resume(runId, Map.of("approved", true));

      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(done.output())
          .isEqualTo(Fixtures.json("{\"text\":\"Draft for Ada\",\"approved\":true}"));
      assertThat(drafts).as("the completed draft step is not run again").hasValue(1);
      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(store.find(runId).orElseThrow().output()).isEqualTo(done.output());
      assertThat(store.steps(runId))
          .extracting(StepRecord::stepKey, StepRecord::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("start#0", StepStatus.COMPLETED),
              org.assertj.core.groups.Tuple.tuple("draft#0", StepStatus.COMPLETED),
              org.assertj.core.groups.Tuple.tuple("publish#0", StepStatus.SUSPENDED),
              org.assertj.core.groups.Tuple.tuple("publish#0", StepStatus.RESUMED),
              org.assertj.core.groups.Tuple.tuple("publish#0", StepStatus.COMPLETED),
              org.assertj.core.groups.Tuple.tuple("done#0", StepStatus.COMPLETED));
    }
  }

  private static AgentRuntime runtime(
      Path config, SqliteCheckpointStore store, AtomicInteger drafts) {
    return AgentRuntime.builder()
        .configDir(config)
        .checkpointStore(store)
        .function(
            "draft",
            (input, ctx) -> {
              drafts.incrementAndGet();
              return Fixtures.JSON
                  .createObjectNode()
                  .set("text", TextNode.valueOf("Draft for " + input.get("input.name").asText()));
            })
        .build();
  }
}
