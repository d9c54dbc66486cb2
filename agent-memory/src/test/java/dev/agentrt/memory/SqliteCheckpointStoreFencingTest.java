package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine paused inside a step while another engine took its run over cannot checkpoint again.
 */
class SqliteCheckpointStoreFencingTest {
  static final String WORKFLOW =
      """
      id: paused
      nodes:
        - {id: start, role: start}
        - {id: prep, kind: transform, template: ready}
        - {id: block, kind: function, function: block}
        - {id: after, kind: function, function: after}
        - {id: done, role: exit, output: "{{after}}"}
      edges:
        - {from: start, to: prep}
        - {from: prep, to: block}
        - {from: block, to: after}
        - {from: after, to: done}
      """;

  @TempDir Path dir;

  @Test
  void
      run_ownerPausedInStepWhileLeaseTakenOver_nextAppendRefusedAndRunReportedRunningUnderNewOwner()
          throws Exception {
    Path agent = Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(dir.resolve(".agent/config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(agent.resolve("paused.yml"), WORKFLOW);
    Path db = dir.resolve("runs.db");
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger after = new AtomicInteger();
    List<String> completed = new CopyOnWriteArrayList<>();
    SqliteCheckpointStore storeA =
        SqliteCheckpointStore.open(db, Fixtures.options().ownerId("engine-a").clock(clock).build());
    try (AgentRuntime a =
            AgentRuntime.builder()
                .configDir(dir.resolve(".agent"))
                .discovery(false)
                .checkpointStore(storeA)
                .runIds(() -> "r1")
                .listener(
                    new RunListener() {
                      @Override
                      public void stepCompleted(RunEvent.StepCompleted event) {
                        completed.add(event.stepKey());
                      }
                    })
                .function(
                    "block",
                    (in, ctx) -> {
                      entered.countDown();
                      if (!release.await(10, TimeUnit.SECONDS))
                        throw new AssertionError("not released");
                      return TextNode.valueOf("late");
                    })
                .function(
                    "after", (in, ctx) -> TextNode.valueOf("after-" + after.incrementAndGet()))
                .build();
        SqliteCheckpointStore storeB =
            SqliteCheckpointStore.open(
                db, Fixtures.options().ownerId("engine-b").clock(clock).build())) {
      RunHandle run = a.start("paused", Map.of());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      // engine-a stalls (no lease renewal) past its lease; engine-b takes the run over
      storeA.internals().heartbeat(false);
      clock.advance(Duration.ofSeconds(16));
      try (RunLog taken = storeB.open("r1")) {
        assertThat(taken.steps())
            .extracting(StepRecord::stepKey)
            .containsExactly("start#0", "prep#0");

        release.countDown();
        RunResult r = run.await(Duration.ofSeconds(10));

        assertThat(r.status())
            .as("the run has not failed: it continues under engine-b")
            .isEqualTo(RunStatus.RUNNING);
        assertThat(r.reason()).isEqualTo(FailureReason.OWNERSHIP_LOST);
        assertThat(r.stepKey()).isEqualTo("block#0");
        assertThat(r.message())
            .isEqualTo(
                "this engine lost ownership of run 'r1' before step 'block#0' could be "
                    + "checkpointed; the run continues under owner engine-b (checkpoint store "
                    + db
                    + ": run 'r1', step 'block#0': cannot append the step: run 'r1' is owned by engine-b since "
                    + "2026-03-01T10:00:16Z (lease 2; this log's lease 1 was taken over after it expired; this engine must "
                    + "stop the run))");
        assertThat(after).as("the stale engine went no further").hasValue(0);
        assertThat(r.steps())
            .as("the steps in the log, without the one that could not be checkpointed")
            .extracting(StepResult::key)
            .containsExactly("start#0", "prep#0");
        assertThat(completed).containsExactly("start#0", "prep#0");
        assertThat(storeB.steps("r1"))
            .extracting(StepRecord::stepKey)
            .containsExactly("start#0", "prep#0");
        assertThat(storeB.find("r1").orElseThrow().status())
            .as("the stale engine wrote no status")
            .isEqualTo(RunStatus.RUNNING);
        assertThat(storeB.find("r1").orElseThrow().reason()).isNull();
      }
    }
    assertThat(
            Fixtures.strings(
                db,
                "SELECT event || ' ' || owner || ' ' || lease_version || ' ' "
                    + "|| coalesce(previous_owner, '-') FROM run_events WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'r1') ORDER BY id"))
        .containsExactly("takeover engine-b 2 engine-a", "released engine-b 2 -");
  }
}
