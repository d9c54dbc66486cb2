package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.DeferringCheckpointStore;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps the engine appends as deferrable (start, exit, the marker of a step the run waits at)
 * cost nothing to lose: with a store that defers them to the next write, a crash before that write
 * loses them, and the resumed run redoes them from its log with the same result, executing no
 * function node twice.
 */
class DeferredStepsTest {
  @TempDir Path dir;

  private static final String CHAIN =
      """
      id: chain
      nodes:
        - {id: start, role: start}
        - {id: a, kind: function, function: a}
        - {id: b, kind: function, function: b}
        - {id: done, role: exit, output: {a: "{{a}}", b: "{{b}}"}}
      edges:
        - {from: start, to: a}
        - {from: a, to: b}
        - {from: b, to: done}
      """;

  private static final String GATE =
      """
      id: gate
      nodes:
        - {id: start, role: start}
        - {id: approve, kind: function, function: approve, interrupt: before}
        - {id: done, role: exit, output: "{{approve}}"}
      edges:
        - {from: start, to: approve}
        - {from: approve, to: done}
      """;

  private final DeferringCheckpointStore store =
      new DeferringCheckpointStore(CheckpointStore.inMemory(10));
  private final AtomicInteger aRuns = new AtomicInteger();
  private final AtomicInteger bRuns = new AtomicInteger();
  private final AtomicInteger approveRuns = new AtomicInteger();

  private AgentRuntime runtimeOn(CheckpointStore checkpoints) {
    return runtime(dir, CHAIN, GATE)
        .checkpointStore(checkpoints)
        .function("a", (in, ctx) -> TextNode.valueOf("a" + aRuns.incrementAndGet()))
        .function(
            "b",
            (in, ctx) -> TextNode.valueOf(in.get("a").asText() + "b" + bRuns.incrementAndGet()))
        .function(
            "approve",
            (in, ctx) -> {
              approveRuns.incrementAndGet();
              return TextNode.valueOf("approved by " + in.get("$resume.approve.by").asText());
            })
        .build();
  }

  private List<String> storedKeys(String runId) {
    return store.steps(runId).stream().map(StepRecord::stepKey).toList();
  }

  @Test
  void run_startAndExit_appendedDeferrableAndWrittenWithTheNextWrite() {
    try (AgentRuntime rt = runtimeOn(store)) {
      RunResult r = rt.run("chain", Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(store.deferredKeys()).containsExactly("start#0", "done#0");
      assertThat(storedKeys(r.runId())).containsExactly("start#0", "a#0", "b#0", "done#0");
      assertThat(store.find(r.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void resume_exitLostWithTheFinalStatus_exitRedoneFromTheLogAndNoNodeRunsTwice() {
    RunResult reference;
    try (AgentRuntime rt = runtimeOn(CheckpointStore.inMemory(10))) {
      reference = rt.run("chain", Map.of());
    }
    aRuns.set(0);
    bRuns.set(0);
    try (AgentRuntime rt = runtimeOn(store)) {
      store.crashAtEnd();
      RunResult crashed = rt.run("chain", Map.of());
      assertThat(crashed.status()).isEqualTo(RunStatus.COMPLETED); // as the engine saw it
      assertThat(store.lostKeys()).containsExactly("done#0");
      assertThat(store.find(crashed.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(storedKeys(crashed.runId())).containsExactly("start#0", "a#0", "b#0");

      RunResult resumed = rt.resume(crashed.runId(), null);

      assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(resumed.output()).isEqualTo(json("{\"a\": \"a1\", \"b\": \"a1b1\"}"));
      assertThat(resumed.output()).isEqualTo(crashed.output()).isEqualTo(reference.output());
      assertThat(resumed.usage().hops()).isEqualTo(reference.usage().hops());
      assertThat(aRuns).hasValue(1);
      assertThat(bRuns).hasValue(1);
      assertThat(storedKeys(crashed.runId())).containsExactly("start#0", "a#0", "b#0", "done#0");
      assertThat(store.find(crashed.runId()).orElseThrow().output()).isEqualTo(reference.output());
    }
  }

  @Test
  void resume_startAndSuspensionMarkerLostWithTheWaitingStatus_waitReachedAgainThenCompletes() {
    try (AgentRuntime rt = runtimeOn(store)) {
      store.crashAtEnd();
      RunResult crashed = rt.run("gate", Map.of());
      assertThat(crashed.status()).isEqualTo(RunStatus.WAITING);
      assertThat(store.lostKeys()).containsExactly("start#0", "approve#0");
      assertThat(storedKeys(crashed.runId())).isEmpty();
      assertThat(store.find(crashed.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

      RunResult waiting = rt.resume(crashed.runId(), null);

      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(waiting.stepKey()).isEqualTo("approve#0");
      assertThat(waiting.message()).isEqualTo(crashed.message());
      assertThat(store.steps(crashed.runId()))
          .extracting(StepRecord::stepKey, StepRecord::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("start#0", StepStatus.COMPLETED),
              org.assertj.core.groups.Tuple.tuple("approve#0", StepStatus.SUSPENDED));
      assertThat(approveRuns).hasValue(0);

      RunResult done = rt.resume(crashed.runId(), Map.of("by", "ann"));

      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(done.output()).isEqualTo(TextNode.valueOf("approved by ann"));
      assertThat(approveRuns).hasValue(1);
    }
  }

  @Test
  void run_nextWriteRefused_deferredStepNeverWrittenAndRunFailsAsBefore() {
    CheckpointFailureTest.FailingStore refusing = new CheckpointFailureTest.FailingStore(1);
    DeferringCheckpointStore deferring = new DeferringCheckpointStore(refusing);
    try (AgentRuntime rt = runtimeOn(deferring)) {
      RunResult r = rt.run("chain", Map.of());

      // the first write (step a, carrying the start step) is refused: the run stops there, as it
      // did when the start step itself was the refused write
      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("a#0");
      assertThat(aRuns).hasValue(1);
      assertThat(bRuns).hasValue(0);
      assertThat(refusing.statusUpdates).hasValue(0);
    }
  }
}
