package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scheduler.max_parallel_branches}: branches and split items of one run at once. */
class MaxParallelBranchesTest {
  @TempDir Path dir;

  private static final String SPLIT =
      """
      id: each
      nodes:
        - {id: start, role: start}
        - {id: items, role: split, items: input.items}
        - {id: work, kind: function, function: work}
        - {id: joined, role: merge}
        - {id: done, role: exit, output: "{{joined}}"}
      edges:
        - {from: start, to: items}
        - {from: items, to: work}
        - {from: work, to: joined}
        - {from: joined, to: done}
      """;

  /** A branch whose one side splits, each item splitting again; the other side is one step. */
  private static final String NESTED =
      """
      id: nested
      nodes:
        - {id: start, role: start}
        - {id: fan, role: branch}
        - {id: outer, role: split, items: input.items}
        - {id: inner, role: split, kind: transform, template: ["{{$item}}1", "{{$item}}2"]}
        - {id: work, kind: function, function: work}
        - {id: innerJoin, role: merge}
        - {id: outerJoin, role: merge}
        - {id: side, kind: function, function: work}
        - {id: joined, role: merge}
        - {id: done, role: exit, output: "{{joined}}"}
      edges:
        - {from: start, to: fan}
        - {from: fan, to: outer}
        - {from: fan, to: side}
        - {from: outer, to: inner}
        - {from: inner, to: work}
        - {from: work, to: innerJoin}
        - {from: innerJoin, to: outerJoin}
        - {from: outerJoin, to: joined}
        - {from: side, to: joined}
        - {from: joined, to: done}
      """;

  /** Counts the calls in flight and the most seen at once. */
  private static final class InFlight {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    /** Counts a call in; returns its number, from 1. */
    int enter() {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      return calls.incrementAndGet();
    }

    void exit() {
      now.decrementAndGet();
    }
  }

  private void config(String yaml) throws IOException {
    Files.writeString(dir.resolve("config.yml"), yaml);
  }

  /**
   * Upper-cases the item ({@code SIDE} outside a split) while counted in flight, meeting {@code
   * meet} if given.
   */
  private static NodeFunction counting(InFlight inFlight, @Nullable CyclicBarrier meet) {
    return (in, ctx) -> {
      inFlight.enter();
      try {
        if (meet != null) Fixture.await(meet);
        return TextNode.valueOf(in.get("$item").asText("side").toUpperCase());
      } finally {
        inFlight.exit();
      }
    };
  }

  @Test
  void run_splitOfSixWithLimitTwo_atMostTwoItemsAtOnceAndAllComplete() throws Exception {
    AgentRuntime.Builder b = runtime(dir, SPLIT);
    config("checkpoint: {store: memory}\nscheduler: {max_parallel_branches: 2}\n");
    InFlight inFlight = new InFlight();
    CountDownLatch twoInside = new CountDownLatch(2);
    CountDownLatch threeInside = new CountDownLatch(3);
    CountDownLatch gate = new CountDownLatch(1);
    NodeFunction work =
        (in, ctx) -> {
          int call = inFlight.enter();
          try {
            twoInside.countDown();
            threeInside.countDown();
            // the first two items stay inside until the test opens the gate
            if (call <= 2) Fixture.await(gate);
            return TextNode.valueOf(in.get("$item").asText().toUpperCase());
          } finally {
            inFlight.exit();
          }
        };
    try (AgentRuntime rt = b.function("work", work).build()) {
      RunHandle h = rt.start("each", Map.of("items", List.of("a", "b", "c", "d", "e", "f")));
      Fixture.await(twoInside);
      boolean third;
      try {
        // without the limit the four other items would be inside at once; with it they wait
        third = threeInside.await(250, TimeUnit.MILLISECONDS);
      } finally {
        gate.countDown();
      }
      assertThat(third).as("a third item started while two held the slots").isFalse();
      RunResult r = h.await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("[\"A\", \"B\", \"C\", \"D\", \"E\", \"F\"]"));
      assertThat(inFlight.calls.get()).isEqualTo(6);
      assertThat(inFlight.max.get()).isEqualTo(2);
    }
  }

  @Test
  void run_nestedSplitsInsideBranchWithLimitOne_completesOneAtATime() throws Exception {
    AgentRuntime.Builder b = runtime(dir, NESTED);
    config("checkpoint: {store: memory}\nscheduler: {max_parallel_branches: 1}\n");
    InFlight inFlight = new InFlight();
    try (AgentRuntime rt = b.function("work", counting(inFlight, null)).build()) {
      // a parent holding its slot while joining would deadlock here: bounded wait
      RunResult r =
          rt.start("nested", Map.of("items", List.of("a", "b", "c"))).await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output())
          .isEqualTo(
              json(
                  "{\"outerJoin\": [[\"A1\", \"A2\"], [\"B1\", \"B2\"], [\"C1\", \"C2\"]],"
                      + " \"side\": \"SIDE\"}"));
      assertThat(inFlight.calls.get()).isEqualTo(7);
      assertThat(inFlight.max.get()).isEqualTo(1);
    }
  }

  @Test
  void run_limitedSplitItemFails_waitingItemsAreCancelledAndRunFails() throws Exception {
    AgentRuntime.Builder b = runtime(dir, SPLIT);
    config("checkpoint: {store: memory}\nscheduler: {max_parallel_branches: 1}\n");
    AtomicInteger calls = new AtomicInteger();
    try (AgentRuntime rt =
        b.function(
                "work",
                (in, ctx) -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("item " + in.get("$index").asInt() + " broke");
                })
            .build()) {
      RunResult r = rt.run("each", Map.of("items", List.of("a", "b", "c")));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("items#0[0]/work#0");
      // the first item failed while the others waited for the one slot: they never ran
      assertThat(calls.get()).isEqualTo(1);
    }
  }

  @Test
  void run_withoutLimit_allItemsRunAtOnce() {
    InFlight inFlight = new InFlight();
    // passes only if all four items are inside the function at the same time
    CyclicBarrier all = new CyclicBarrier(4);
    try (AgentRuntime rt = runtime(dir, SPLIT).function("work", counting(inFlight, all)).build()) {
      RunResult r = rt.run("each", Map.of("items", List.of("a", "b", "c", "d")));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("[\"A\", \"B\", \"C\", \"D\"]"));
      assertThat(inFlight.max.get()).isEqualTo(4);
    }
  }
}
