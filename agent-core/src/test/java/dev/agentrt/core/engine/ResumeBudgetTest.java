package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.ResumeOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run continues its time budget, and a changed workflow is resumed only when forced. */
class ResumeBudgetTest {
  @TempDir Path dir;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private static final String WF =
      """
      id: slow
      budget: {max_duration: PT1H}
      nodes:
        - {id: start, role: start}
        - {id: first, kind: function, function: work}
        - {id: gate, kind: transform, template: ok, interrupt: before}
        - {id: second, kind: function, function: work}
        - {id: third, kind: function, function: work}
        - {id: done, role: exit}
      edges:
        - {from: start, to: first}
        - {from: first, to: gate}
        - {from: gate, to: second}
        - {from: second, to: third}
        - {from: third, to: done}
      """;

  @Test
  void resume_maxDuration_countsTheTimeSpentBeforeTheRunWaited() {
    ManualClock clock = new ManualClock();
    CheckpointStore store = CheckpointStore.inMemory(10);
    try (AgentRuntime rt =
        runtime(dir, WF)
            .clock(clock)
            .checkpointStore(store)
            .function(
                "work",
                (in, ctx) -> {
                  clock.advance(Duration.ofMinutes(40));
                  return TextNode.valueOf("worked");
                })
            .build()) {
      RunResult waiting = rt.run("slow", null);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.usage().elapsed()).isEqualTo(Duration.ofMinutes(40));
      clock.advance(Duration.ofDays(1)); // waiting for a person does not count

      RunResult resumed = rt.resume(waiting.runId(), Map.of("ok", true));

      // 40 min before the wait + 40 min in 'second' = 80 min > 60: stopped before 'third'
      assertThat(resumed.status()).isEqualTo(RunStatus.FAILED);
      assertThat(resumed.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(resumed.stepKey()).isEqualTo("third#0");
      assertThat(resumed.message()).startsWith("budget max_duration exceeded");
    }
  }

  @Test
  void resume_workflowChanged_isRefusedUnlessForced() throws Exception {
    CheckpointStore store =
        CheckpointStore.inMemory(10); // closing a runtime leaves an in-memory store usable
    String runId;
    try (AgentRuntime rt =
        runtime(dir, WF)
            .checkpointStore(store)
            .function("work", (in, ctx) -> TextNode.valueOf("v1"))
            .build()) {
      runId = rt.run("slow", null).runId();
    }
    Path file = dir.resolve("workflows/slow.yml");
    Files.writeString(file, Files.readString(file).replace("PT1H", "PT2H"));
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .checkpointStore(store)
            .function("work", (in, ctx) -> TextNode.valueOf("v2"))
            .build()) {
      assertThatThrownBy(() -> rt.resume(runId, Map.of("ok", true)))
          .isInstanceOf(AgentrtException.class)
          .hasMessageContaining(
              "workflow 'slow' (or an agent or sub-workflow it uses) changed since the run started")
          .hasMessageEndingWith("restore the files to continue it, or force the resume");

      RunResult forced =
          rt.resume(
              runId,
              Map.of("ok", true),
              ResumeOptions.builder().forceChangedWorkflow(true).build());

      assertThat(forced.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(forced.step("first#0").orElseThrow().output().asText()).isEqualTo("v1");
      assertThat(forced.step("second#0").orElseThrow().output().asText()).isEqualTo("v2");
    }
  }
}
