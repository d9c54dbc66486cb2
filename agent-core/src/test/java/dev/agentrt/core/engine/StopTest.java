package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs stopped from outside their steps: max_hops, max_duration and RunHandle.cancel(). */
class StopTest {
  @TempDir Path dir;

  /** A function that blocks until interrupted, tracking entry and exit. */
  static final class Blocker {
    final CountDownLatch entered;
    final CountDownLatch exited;
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();

    Blocker(int parties) {
      entered = new CountDownLatch(parties);
      exited = new CountDownLatch(parties);
    }

    NodeFunction function() {
      return (in, ctx) -> {
        inside.incrementAndGet();
        try {
          entered.countDown();
          // never released: only an interrupt ends this wait early
          new CountDownLatch(1).await(10, TimeUnit.SECONDS);
          return TextNode.valueOf("not interrupted");
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw e;
        } finally {
          inside.decrementAndGet();
          exited.countDown();
        }
      };
    }
  }

  @Test
  void run_maxHopsExceeded_failsWithBudgetExceeded() {
    String wf =
        """
        id: spin
        budget: {max_hops: 5}
        nodes:
          - {id: start, role: start}
          - {id: a, kind: transform, template: "spin"}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {id: again, from: a, to: a, loop: {max: 100, exhausted: done}}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult r = rt.run("spin", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.stepKey()).isEqualTo("a#4");
      assertThat(r.message())
          .isEqualTo(
              "budget max_hops exceeded: step 'a#4' would be node execution 6 (max_hops: 5)");
      assertThat(keys(r)).containsExactly("start#0", "a#0", "a#1", "a#2", "a#3");
      assertThat(r.usage().hops()).isEqualTo(6);
    }
  }

  @Test
  void run_maxHopsExceededInParallelBranch_stopsSiblings() {
    String wf =
        """
        id: spinFan
        budget: {max_hops: 8}
        nodes:
          - {id: start, role: start}
          - {id: fork, role: branch}
          - {id: block, kind: function, function: block}
          - {id: a, kind: function, function: spin}
          - {id: join, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fork}
          - {from: fork, to: block}
          - {from: fork, to: a}
          - {from: block, to: join}
          - {id: again, from: a, to: a, loop: {max: 100, exhausted: join}}
          - {from: join, to: done}
        """;
    Blocker blocker = new Blocker(1);
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function("block", blocker.function())
            .function(
                "spin",
                (in, ctx) -> {
                  Fixture.await(blocker.entered);
                  return TextNode.valueOf("spun");
                })
            .build()) {
      RunResult r = rt.run("spinFan", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message())
          .startsWith("budget max_hops exceeded: step 'fork#0[a]/a#")
          .endsWith("(max_hops: 8)");
      assertThat(blocker.interrupted.get()).isEqualTo(1);
      assertThat(blocker.exited.getCount()).isZero();
      assertThat(blocker.inside.get()).isZero();
    }
  }

  @Test
  void run_maxDurationExceededWhileFunctionBlocks_failsWithBudgetExceeded() throws Exception {
    String wf =
        """
        id: slow
        budget: {max_duration: PT1S}
        nodes:
          - {id: start, role: start}
          - {id: wait, kind: function, function: block}
          - {id: done, role: exit}
        edges:
          - {from: start, to: wait}
          - {from: wait, to: done}
        """;
    Blocker blocker = new Blocker(1);
    ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function("block", blocker.function())
            .clock(time)
            .sleeper(time.waiting())
            .build()) {
      RunHandle h = rt.start("slow", null);
      Fixture.await(blocker.entered);
      time.awaitSleepers(1); // the run's deadline waits for its second to pass
      time.advance(Duration.ofSeconds(1));
      RunResult r = h.await();

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message())
          .isEqualTo(
              "budget max_duration exceeded: the run took longer than PT1S (at step 'wait#0')");
      assertThat(r.stepKey()).isEqualTo("wait#0");
      // the deadline interrupted the function (which would otherwise return after 10 s): no
      // assertion on how long the run took, which depends on the machine's load
      assertThat(blocker.interrupted.get()).isEqualTo(1);
      assertThat(blocker.exited.getCount()).isZero();
      assertThat(blocker.inside.get()).isZero();
    }
  }

  @Test
  void cancel_runBlockedInFunction_returnsCancelledAfterFunctionExited() throws Exception {
    String wf =
        """
        id: blocked
        nodes:
          - {id: start, role: start}
          - {id: wait, kind: function, function: block}
          - {id: after, kind: function, function: after}
          - {id: done, role: exit}
        edges:
          - {from: start, to: wait}
          - {from: wait, to: after}
          - {from: after, to: done}
        """;
    Blocker blocker = new Blocker(1);
    AtomicInteger afterCalls = new AtomicInteger();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function("block", blocker.function())
            .function(
                "after",
                (in, ctx) -> {
                  afterCalls.incrementAndGet();
                  return TextNode.valueOf("after");
                })
            .build()) {
      RunHandle h = rt.start("blocked", null);
      Fixture.await(blocker.entered);

      h.cancel();
      RunResult r = h.await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(r.reason()).isEqualTo(FailureReason.CANCELLED);
      assertThat(r.message()).isEqualTo("cancelled by the caller");
      assertThat(blocker.exited.getCount()).as("function exited before await() returned").isZero();
      assertThat(blocker.inside.get()).isZero();
      assertThat(blocker.interrupted.get()).isEqualTo(1);
      assertThat(afterCalls.get()).isZero();
      assertThat(h.isDone()).isTrue();
    }
  }

  @Test
  void cancel_runBlockedInParallelBranches_noThreadLeftInAnyFunction() throws Exception {
    String wf =
        """
        id: blockedFan
        nodes:
          - {id: start, role: start}
          - {id: fork, role: branch}
          - {id: a, kind: function, function: block}
          - {id: b, kind: function, function: block}
          - {id: each, role: split, items: input.items}
          - {id: c, kind: function, function: block}
          - {id: items, role: merge}
          - {id: join, role: merge}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fork}
          - {from: fork, to: a}
          - {from: fork, to: b}
          - {from: fork, to: each}
          - {from: each, to: c}
          - {from: c, to: items}
          - {from: a, to: join}
          - {from: b, to: join}
          - {from: items, to: join}
          - {from: join, to: done}
        """;
    Blocker blocker = new Blocker(5);
    try (AgentRuntime rt = runtime(dir, wf).function("block", blocker.function()).build()) {
      RunHandle h = rt.start("blockedFan", java.util.Map.of("items", java.util.List.of(1, 2, 3)));
      Fixture.await(blocker.entered);

      h.cancel();
      RunResult r = h.await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(r.reason()).isEqualTo(FailureReason.CANCELLED);
      assertThat(blocker.exited.getCount())
          .as("every function exited before await() returned")
          .isZero();
      assertThat(blocker.inside.get()).isZero();
      assertThat(blocker.interrupted.get()).isEqualTo(5);
    }
  }
}
