package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded loop edges: iteration counting, exhaustion, and per-sub-task counting inside splits. */
class LoopsTest {
  @TempDir Path dir;

  private static final String REVIEW_LOOP =
      """
      id: review
      nodes:
        - {id: start, role: start}
        - {id: draft, kind: function, function: probe}
        - {id: review, kind: transform, role: decision, route: verdict, template: {verdict: revise}}
        - {id: done, role: exit, output: "{{draft}}"}
      edges:
        - {from: start, to: draft}
        - {from: draft, to: review}
        - {from: review, to: done, when: approve}
        - {id: again, from: review, to: draft, when: revise, loop: {max: 3, exhausted: done}}
      """;

  @Test
  void run_loopAlwaysTaken_takesExhaustedAfterMaxIterations() {
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt =
        runtime(dir, REVIEW_LOOP)
            .listener(events)
            .function("probe", (in, ctx) -> TextNode.valueOf("draft " + ctx.stepKey()))
            .build()) {
      RunResult r = rt.run("review", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "draft#0",
              "review#0",
              "draft#1",
              "review#1",
              "draft#2",
              "review#2",
              "draft#3",
              "review#3",
              "done#0");
      assertThat(r.output().asText()).isEqualTo("draft draft#3");
      assertThat(events.of(RunEvent.LoopIteration.class))
          .extracting(RunEvent.LoopIteration::iteration)
          .containsExactly(1, 2, 3);
      assertThat(events.of(RunEvent.RouteTaken.class))
          .filteredOn(e -> e.from().equals("review"))
          .extracting(e -> e.stepKey() + " " + e.reason() + " " + e.to())
          .containsExactly(
              "review#0 loop draft",
              "review#1 loop draft",
              "review#2 loop draft",
              "review#3 exhausted done");
    }
  }

  @Test
  void run_loopIterations_stateLoopsShowsIterationMaxAndRemaining() {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    try (AgentRuntime rt =
        runtime(dir, REVIEW_LOOP)
            .function(
                "probe",
                (in, ctx) -> {
                  seen.add(in.get("$loops.again"));
                  return TextNode.valueOf("x");
                })
            .build()) {
      RunResult r = rt.run("review", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(seen)
          .containsExactly(
              json("{\"iteration\": 0, \"max\": 3, \"remaining\": 3}"),
              json("{\"iteration\": 1, \"max\": 3, \"remaining\": 2}"),
              json("{\"iteration\": 2, \"max\": 3, \"remaining\": 1}"),
              json("{\"iteration\": 3, \"max\": 3, \"remaining\": 0}"));
    }
  }

  @Test
  void run_loopInsideSplit_eachSubTaskLoopsMaxTimesIndependently() {
    String wf =
        """
        id: perItem
        nodes:
          - {id: start, role: start}
          - {id: each, role: split, items: input.items}
          - {id: work, kind: function, function: work}
          - {id: check, kind: transform, role: decision, route: v, template: {v: again}}
          - {id: joined, role: merge}
          - {id: done, role: exit, output: "{{joined}}"}
        edges:
          - {from: start, to: each}
          - {from: each, to: work}
          - {from: work, to: check}
          - {from: check, to: joined, when: done}
          - {id: again, from: check, to: work, when: again, loop: {max: 2, exhausted: joined}}
          - {from: joined, to: done}
        """;
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Map<String, List<Integer>> iterations = new ConcurrentHashMap<>();
    // all three sub-tasks are inside their loop at the same time
    CyclicBarrier together = new CyclicBarrier(3);
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function(
                "work",
                (in, ctx) -> {
                  String item = in.get("$item").asText();
                  int iteration = in.get("$loops.again.iteration").asInt();
                  if (iteration == 0) Fixture.await(together);
                  calls.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
                  iterations
                      .computeIfAbsent(item, k -> new CopyOnWriteArrayList<>())
                      .add(iteration);
                  return TextNode.valueOf(item + ":" + iteration);
                })
            .build()) {
      RunResult r = rt.run("perItem", Map.of("items", List.of("a", "b", "c")));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output())
          .isEqualTo(json("[{\"v\": \"again\"}, {\"v\": \"again\"}, {\"v\": \"again\"}]"));
      assertThat(calls)
          .hasSize(3)
          .allSatisfy((item, n) -> assertThat(n.get()).as(item).isEqualTo(3));
      assertThat(iterations)
          .allSatisfy((item, its) -> assertThat(its).as(item).containsExactly(0, 1, 2));
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "each#0",
              "each#0[0]/work#0",
              "each#0[0]/check#0",
              "each#0[0]/work#1",
              "each#0[0]/check#1",
              "each#0[0]/work#2",
              "each#0[0]/check#2",
              "each#0[1]/work#0",
              "each#0[1]/check#0",
              "each#0[1]/work#1",
              "each#0[1]/check#1",
              "each#0[1]/work#2",
              "each#0[1]/check#2",
              "each#0[2]/work#0",
              "each#0[2]/check#0",
              "each#0[2]/work#1",
              "each#0[2]/check#1",
              "each#0[2]/work#2",
              "each#0[2]/check#2",
              "joined#0",
              "done#0");
    }
  }
}
