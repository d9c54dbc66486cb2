package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run listeners: isolation from the run, and event order. */
class ListenersTest {
  @TempDir Path dir;

  private static final String NOTES =
      """
      id: notes
      nodes:
        - {id: start, role: start}
        - {id: fanout, role: branch}
        - {id: summary, kind: transform, template: "{{input.title}}"}
        - {id: labels, kind: function, function: labels}
        - {id: joined, role: merge}
        - {id: each, role: split, items: input.changes}
        - {id: render, kind: transform, template: "{{$index}}. {{$item}}"}
        - {id: rendered, role: merge}
        - {id: review, kind: transform, role: decision, route: v, template: {v: revise}}
        - {id: done, role: exit, output: {joined: "{{joined}}", rendered: "{{rendered}}"}}
      edges:
        - {from: start, to: fanout}
        - {from: fanout, to: summary}
        - {from: fanout, to: labels}
        - {from: summary, to: joined}
        - {from: labels, to: joined}
        - {from: joined, to: each}
        - {from: each, to: render}
        - {from: render, to: rendered}
        - {from: rendered, to: review}
        - {from: review, to: done, when: ok}
        - {id: revise, from: review, to: fanout, when: revise, loop: {max: 2, exhausted: done}}
      """;

  private static final Map<String, Object> INPUT =
      Map.of("title", "T", "changes", List.of("x", "y"));

  @Test
  void run_listenerThrowsOnEveryEvent_runCompletesWithSameOutput() {
    AtomicInteger thrown = new AtomicInteger();
    RunListener throwing =
        new RunListener() {
          @Override
          public void onEvent(RunEvent event) {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener broken");
          }
        };
    RunResult plain;
    try (AgentRuntime rt =
        runtime(dir, NOTES).function("labels", (in, ctx) -> TextNode.valueOf("l")).build()) {
      plain = rt.run("notes", INPUT);
    }
    try (AgentRuntime rt =
        runtime(dir, NOTES)
            .listener(throwing)
            .function("labels", (in, ctx) -> TextNode.valueOf("l"))
            .build()) {
      RunResult r = rt.run("notes", INPUT);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(plain.output());
      assertThat(keys(r)).isEqualTo(keys(plain));
      assertThat(thrown.get()).isGreaterThan(20);
    }
  }

  @Test
  void run_smallWorkflow_eventsArriveInOrder() {
    String wf =
        """
        id: small
        nodes:
          - {id: start, role: start}
          - {id: a, kind: function, function: a}
          - {id: done, role: exit, output: "{{a}}"}
        edges:
          - {from: start, to: a}
          - {id: again, from: a, to: a, loop: {max: 1, exhausted: done}}
        """;
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .listener(events)
            .function("a", (in, ctx) -> TextNode.valueOf(ctx.stepKey()))
            .build()) {
      RunResult r = rt.run("small", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(events.events).allSatisfy(e -> assertThat(e.runId()).isEqualTo(r.runId()));
      assertThat(events.events.stream().map(ListenersTest::describe))
          .containsExactly(
              "RunStarted small resumed=false",
              "StepStarted start#0",
              "StepCompleted start#0 attempts=1",
              "RouteTaken start#0 start->a next",
              "StepStarted a#0",
              "StepCompleted a#0 attempts=1",
              "LoopIteration again 1/1",
              "RouteTaken a#0 a->a loop",
              "StepStarted a#1",
              "StepCompleted a#1 attempts=1",
              "RouteTaken a#1 a->done exhausted",
              "StepStarted done#0",
              "StepCompleted done#0 attempts=1",
              "RunCompleted small \"a#1\"");
    }
  }

  @Test
  void addListener_afterBuild_receivesEventsUntilClosed() {
    String wf =
        """
        id: small
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, output: "{{input}}"}
        edges:
          - {from: start, to: done}
        """;
    Fixture.RecordingListener first = new Fixture.RecordingListener();
    Fixture.RecordingListener second = new Fixture.RecordingListener();
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      AgentRuntime.ListenerRegistration a = rt.addListener(first);
      AgentRuntime.ListenerRegistration b = rt.addListener(second);
      RunResult r1 = rt.run("small", null);
      a.close();
      a.close();
      RunResult r2 = rt.run("small", null);
      b.close();
      rt.run("small", null);

      assertThat(first.events.stream().map(ListenersTest::describe))
          .containsExactly(
              "RunStarted small resumed=false",
              "StepStarted start#0",
              "StepCompleted start#0 attempts=1",
              "RouteTaken start#0 start->done next",
              "StepStarted done#0",
              "StepCompleted done#0 attempts=1",
              "RunCompleted small {}");
      assertThat(first.events).allSatisfy(e -> assertThat(e.runId()).isEqualTo(r1.runId()));
      assertThat(second.events.stream().map(RunEvent::runId).distinct())
          .containsExactly(r1.runId(), r2.runId());
    }
  }

  private static String describe(RunEvent e) {
    if (e instanceof RunEvent.RunStarted s)
      return "RunStarted " + s.workflowId() + " resumed=" + s.resumed();
    if (e instanceof RunEvent.StepStarted s) return "StepStarted " + s.stepKey();
    if (e instanceof RunEvent.StepCompleted s)
      return "StepCompleted " + s.stepKey() + " attempts=" + s.attempts();
    if (e instanceof RunEvent.LoopIteration l)
      return "LoopIteration " + l.edgeId() + " " + l.iteration() + "/" + l.max();
    if (e instanceof RunEvent.RouteTaken t)
      return "RouteTaken " + t.stepKey() + " " + t.from() + "->" + t.to() + " " + t.reason();
    if (e instanceof RunEvent.RunCompleted c)
      return "RunCompleted " + c.workflowId() + " " + c.output();
    return e.toString();
  }
}
