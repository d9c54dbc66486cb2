package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static dev.agentrt.core.engine.Fixture.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, $error edges, and failure of parallel branches. */
class FailuresTest {
  @TempDir Path dir;

  private static final String RETRYING =
      """
      id: retrying
      nodes:
        - {id: start, role: start}
        - {id: call, kind: function, function: call, retry: {max_attempts: 3, backoff: 1ms}}
        - {id: done, role: exit, output: "{{call}}"}
      edges:
        - {from: start, to: call}
        - {from: call, to: done}
      """;

  @Test
  void run_functionFailsTwiceThenSucceeds_completesAfterThreeAttempts() {
    AtomicInteger calls = new AtomicInteger();
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt =
        runtime(dir, RETRYING)
            .listener(events)
            .function(
                "call",
                (in, ctx) -> {
                  int n = calls.incrementAndGet();
                  assertThat(ctx.attempt()).isEqualTo(n);
                  if (n < 3) throw new IllegalStateException("flaky " + n);
                  return TextNode.valueOf("ok on " + n);
                })
            .build()) {
      RunResult r = rt.run("retrying", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().asText()).isEqualTo("ok on 3");
      assertThat(step(r, "call#0").attempts()).isEqualTo(3);
      assertThat(step(r, "call#0").status()).isEqualTo(StepStatus.COMPLETED);
      assertThat(events.of(RunEvent.StepRetried.class))
          .extracting(
              e -> e.stepKey() + " " + e.failedAttempt() + " " + e.message() + " " + e.backoff())
          .containsExactly("call#0 1 flaky 1 PT0.001S", "call#0 2 flaky 2 PT0.002S");
      assertThat(events.of(RunEvent.StepStarted.class))
          .extracting(RunEvent.StepStarted::stepKey)
          .containsExactly("start#0", "call#0", "done#0");
      assertThat(events.of(RunEvent.StepCompleted.class))
          .extracting(e -> e.stepKey() + " " + e.attempts())
          .containsExactly("start#0 1", "call#0 3", "done#0 1");
    }
  }

  @Test
  void run_retriesExhausted_failsWithNodeFailedNamingStep() {
    AtomicInteger calls = new AtomicInteger();
    try (AgentRuntime rt =
        runtime(dir, RETRYING)
            .function(
                "call",
                (in, ctx) -> {
                  throw new IllegalStateException("boom " + calls.incrementAndGet());
                })
            .build()) {
      RunResult r = rt.run("retrying", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("call#0");
      assertThat(r.message())
          .isEqualTo("step 'call#0' (node 'call') failed after 3 attempts: boom 3");
      assertThat(calls.get()).isEqualTo(3);
      assertThat(step(r, "call#0").status()).isEqualTo(StepStatus.FAILED);
      assertThat(step(r, "call#0").error()).isEqualTo("boom 3");
    }
  }

  @Test
  void run_failingNodeWithErrorEdge_takesErrorEdgeWithErrorInState() {
    String wf =
        """
        id: guarded
        nodes:
          - {id: start, role: start}
          - {id: call, kind: function, function: call}
          - {id: recover, kind: function, function: recover}
          - {id: done, role: exit}
        edges:
          - {from: start, to: call}
          - {from: call, to: done}
          - {from: call, to: recover, when: $error}
          - {from: recover, to: done}
        """;
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .listener(events)
            .function(
                "call",
                (in, ctx) -> {
                  throw new IllegalStateException("no connection");
                })
            .function(
                "recover",
                (in, ctx) -> {
                  seen.set(in.get("$error"));
                  return TextNode.valueOf("recovered");
                })
            .build()) {
      RunResult r = rt.run("guarded", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(seen.get())
          .isEqualTo(
              json(
                  "{\"node\": \"call\", \"step\": \"call#0\", \"message\": \"no connection\", \"attempts\": 1}"));
      assertThat(keys(r)).containsExactly("start#0", "call#0", "recover#0", "done#0");
      assertThat(step(r, "call#0").status()).isEqualTo(StepStatus.FAILED);
      assertThat(r.output().get("recover").asText()).isEqualTo("recovered");
      assertThat(events.of(RunEvent.RouteTaken.class))
          .filteredOn(e -> e.from().equals("call"))
          .extracting(RunEvent.RouteTaken::reason, RunEvent.RouteTaken::to)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("$error", "recover"));
    }
  }

  private static final String FAN =
      """
      id: fan
      nodes:
        - {id: start, role: start}
        - {id: fork, role: branch}
        - {id: slow, kind: function, function: slow}
        - {id: bad, kind: function, function: bad}
        - {id: join, role: merge}
        - {id: done, role: exit, output: "{{join}}"}
      edges:
        - {from: start, to: fork}
        - {from: fork, to: slow}
        - {from: fork, to: bad}
        - {from: slow, to: join}
        - {from: bad, to: join}
        - {from: join, to: done}
      """;

  @Test
  void run_branchFails_cancelsBlockedSiblingAndFails() {
    CountDownLatch siblingBlocked = new CountDownLatch(1);
    CountDownLatch siblingExited = new CountDownLatch(1);
    AtomicBoolean siblingInterrupted = new AtomicBoolean();
    AtomicInteger inside = new AtomicInteger();
    try (AgentRuntime rt =
        runtime(dir, FAN)
            .function(
                "slow",
                (in, ctx) -> {
                  inside.incrementAndGet();
                  try {
                    siblingBlocked.countDown();
                    // never released: only an interrupt ends this wait early
                    new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                    return TextNode.valueOf("not interrupted");
                  } catch (InterruptedException e) {
                    siblingInterrupted.set(true);
                    throw e;
                  } finally {
                    inside.decrementAndGet();
                    siblingExited.countDown();
                  }
                })
            .function(
                "bad",
                (in, ctx) -> {
                  Fixture.await(siblingBlocked);
                  throw new IllegalStateException("bad input");
                })
            .build()) {
      RunResult r = rt.run("fan", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("fork#0[bad]/bad#0");
      assertThat(r.message()).isEqualTo("step 'fork#0[bad]/bad#0' (node 'bad') failed: bad input");
      assertThat(siblingInterrupted).isTrue();
      assertThat(siblingExited.getCount())
          .as("sibling's function has exited when run() returns")
          .isZero();
      assertThat(inside.get()).isZero();
      assertThat(keys(r)).doesNotContain("fork#0[slow]/slow#0", "join#0");
    }
  }

  @Test
  void run_branchFailsWithContinueOnFailure_keepsSiblingsAndMergesError() {
    String wf =
        FAN.replace(
            "{id: fork, role: branch}", "{id: fork, role: branch, continue_on_failure: true}");
    CountDownLatch badFailed = new CountDownLatch(1);
    RunListener onFailure =
        new RunListener() {
          @Override
          public void stepFailed(RunEvent.StepFailed event) {
            badFailed.countDown();
          }
        };
    try (AgentRuntime rt =
        runtime(dir, wf)
            .listener(onFailure)
            .function(
                "slow",
                (in, ctx) -> {
                  // still running when its sibling has failed
                  Fixture.await(badFailed);
                  return TextNode.valueOf("survived " + ctx.isCancelled());
                })
            .function(
                "bad",
                (in, ctx) -> {
                  throw new IllegalStateException("bad input");
                })
            .build()) {
      RunResult r = rt.run("fan", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output())
          .isEqualTo(
              json(
                  "{\"slow\": \"survived false\", \"bad\": {\"$error\": {"
                      + "\"step\": \"fork#0[bad]/bad#0\", \"message\": \"step 'fork#0[bad]/bad#0' (node 'bad') failed: bad input\"}}}"));
      assertThat(step(r, "fork#0[bad]/bad#0").status()).isEqualTo(StepStatus.FAILED);
      assertThat(step(r, "fork#0[slow]/slow#0").status()).isEqualTo(StepStatus.COMPLETED);
    }
  }
}
