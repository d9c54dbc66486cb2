package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.spi.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay re-walks a run's log without executing; fork keeps the steps before a key and runs the
 * rest again.
 */
class ReplayForkTest {
  @TempDir Path dir;

  private static final String WF =
      """
      id: pipeline
      nodes:
        - {id: start, role: start}
        - {id: fan, role: branch}
        - {id: left, kind: function, function: count}
        - {id: right, kind: function, function: count}
        - {id: joined, role: merge}
        - {id: each, role: split, items: input.items}
        - {id: item, kind: function, function: count}
        - {id: items, role: merge}
        - {id: last, kind: function, function: count}
        - {id: done, role: exit, output: {joined: "{{joined}}", items: "{{items}}", last: "{{last}}"}}
      edges:
        - {from: start, to: fan}
        - {from: fan, to: left}
        - {from: fan, to: right}
        - {from: left, to: joined}
        - {from: right, to: joined}
        - {from: joined, to: each}
        - {from: each, to: item}
        - {from: item, to: items}
        - {from: items, to: last}
        - {from: last, to: done}
      """;

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicInteger counter = new AtomicInteger();

  private AgentRuntime rt() {
    return runtime(dir, WF)
        .function(
            "count",
            (in, ctx) -> {
              calls.computeIfAbsent(ctx.stepKey(), k -> new AtomicInteger()).incrementAndGet();
              return IntNode.valueOf(counter.incrementAndGet());
            })
        .build();
  }

  @Test
  void replay_completedRun_givesTheSameStepsAndOutputWithoutExecuting() {
    try (AgentRuntime rt = rt()) {
      RunResult original = rt.run("pipeline", Map.of("items", List.of("a", "b", "c")));
      int executed = counter.get();

      RunResult replayed = rt.replay(original.runId());

      assertThat(counter.get()).isEqualTo(executed);
      assertThat(replayed.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(replayed.output()).isEqualTo(original.output());
      assertThat(keys(replayed)).isEqualTo(keys(original));
      assertThat(replayed.steps())
          .extracting(StepResult::output)
          .isEqualTo(original.steps().stream().map(StepResult::output).toList());
    }
  }

  @Test
  void replay_waitingRun_stopsWhereTheRunWaitsWithItsStatus() {
    String wf =
        """
        id: gate
        nodes:
          - {id: start, role: start}
          - {id: prep, kind: transform, template: ready}
          - {id: approve, kind: transform, template: "{{$resume.approve}}", interrupt: before}
          - {id: done, role: exit}
        edges:
          - {from: start, to: prep}
          - {from: prep, to: approve}
          - {from: approve, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult waiting = rt.run("gate", null);

      RunResult replayed = rt.replay(waiting.runId());

      assertThat(replayed.status()).isEqualTo(RunStatus.WAITING);
      assertThat(replayed.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(replayed.stepKey()).isEqualTo("approve#0");
      assertThat(keys(replayed)).containsExactly("start#0", "prep#0");
    }
  }

  @Test
  void fork_atSplitItem_keepsEarlierStepsAndExecutesFromThere() {
    try (AgentRuntime rt = rt()) {
      RunResult original = rt.run("pipeline", Map.of("items", List.of("a", "b", "c")));
      calls.clear();

      RunResult forked = rt.fork(original.runId(), "each#0[1]/item#0");

      assertThat(forked.runId()).isNotEqualTo(original.runId());
      assertThat(forked.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(forked)).isEqualTo(keys(original));
      assertThat(calls.keySet())
          .containsExactlyInAnyOrder("each#0[1]/item#0", "each#0[2]/item#0", "last#0");
      assertThat(forked.output().get("joined")).isEqualTo(original.output().get("joined"));
      assertThat(forked.output().get("items").get(0))
          .isEqualTo(original.output().get("items").get(0));
      assertThat(forked.output().get("last")).isNotEqualTo(original.output().get("last"));
      assertThat(rt.replay(original.runId()).output()).isEqualTo(original.output());
      RunRecord lineage = rt.checkpointStore().find(forked.runId()).orElseThrow();
      assertThat(lineage.parentRunId()).isEqualTo(original.runId());
      assertThat(lineage.forkedFromStep()).isEqualTo("each#0[1]/item#0");
      assertThat(rt.checkpointStore().find(original.runId()).orElseThrow().parentRunId()).isNull();
    }
  }

  @Test
  void fork_unknownStep_namesTheRunAndSuggestsAKey() {
    try (AgentRuntime rt = rt()) {
      RunResult original = rt.run("pipeline", Map.of("items", List.of("a")));

      assertThatThrownBy(() -> rt.fork(original.runId(), "lst#0"))
          .isInstanceOf(RunNotFoundException.class)
          .hasMessageStartingWith(
              "run '" + original.runId() + "' has no step 'lst#0' (did you mean 'last#0'?)");
    }
  }

  @Test
  void replay_unknownRun_isRunNotFound() {
    try (AgentRuntime rt = rt()) {
      assertThatThrownBy(() -> rt.replay("nope"))
          .isInstanceOf(RunNotFoundException.class)
          .hasMessage("no run 'nope' in the checkpoint store");
    }
  }
}
