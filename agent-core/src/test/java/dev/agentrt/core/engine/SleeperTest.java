package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static dev.agentrt.core.engine.Fixture.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting goes through the runtime's Sleeper and its time through the runtime's Clock. */
class SleeperTest {
  @TempDir Path dir;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final String PAUSING =
      """
      id: pausing
      nodes:
        - {id: start, role: start}
        - {id: nap, kind: function, function: nap}
        - {id: done, role: exit, output: "{{nap}}"}
      edges:
        - {from: start, to: nap}
        - {from: nap, to: done}
      """;

  @Test
  void run_retryBackoffOfMinutes_waitsOnTheRuntimeSleeperAndClock() {
    String wf =
        """
        id: retrying
        nodes:
          - {id: start, role: start}
          - {id: call, kind: function, function: call, retry: {max_attempts: 3, backoff: 1m}}
          - {id: done, role: exit, output: "{{call}}"}
        edges:
          - {from: start, to: call}
          - {from: call, to: done}
        """;
    ManualTime time = new ManualTime(T0);
    AtomicInteger calls = new AtomicInteger();
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .clock(time)
            .sleeper(time.advancing())
            .listener(events)
            .function(
                "call",
                (in, ctx) -> {
                  if (calls.incrementAndGet() < 3) throw new IllegalStateException("flaky");
                  return TextNode.valueOf("ok at " + ctx.clock().instant());
                })
            .build()) {
      RunResult r = rt.run("retrying", null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(time.slept()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2));
      assertThat(r.output().asText()).isEqualTo("ok at 2026-01-01T00:03:00Z");
      assertThat(step(r, "call#0").attempts()).isEqualTo(3);
      assertThat(events.of(RunEvent.StepRetried.class))
          .extracting(RunEvent.StepRetried::backoff)
          .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2));
    }
  }

  @Test
  void pause_timePasses_returnsTrueAfterTheSleeperWaited() {
    ManualTime time = new ManualTime(T0);
    try (AgentRuntime rt =
        runtime(dir, PAUSING)
            .clock(time)
            .sleeper(time.advancing())
            .function("nap", (in, ctx) -> BooleanNode.valueOf(ctx.pause(Duration.ofHours(2))))
            .build()) {
      RunResult r = rt.run("pausing", null);

      assertThat(r.output().asBoolean()).isTrue();
      assertThat(time.slept()).containsExactly(Duration.ofHours(2));
      assertThat(time.instant()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }
  }

  @Test
  void pause_runCancelledWhileWaiting_returnsFalse() throws Exception {
    ManualTime time = new ManualTime(T0);
    AtomicReference<Boolean> paused = new AtomicReference<>();
    CountDownLatch returned = new CountDownLatch(1);
    try (AgentRuntime rt =
        runtime(dir, PAUSING)
            .clock(time)
            .sleeper(time.waiting())
            .function(
                "nap",
                (in, ctx) -> {
                  paused.set(ctx.pause(Duration.ofHours(2)));
                  returned.countDown();
                  return BooleanNode.TRUE;
                })
            .build()) {
      RunHandle h = rt.start("pausing", null);
      time.awaitSleepers(1);
      h.cancel();
      RunResult r = h.await();

      Fixture.await(returned);
      assertThat(paused.get()).isFalse();
      assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(time.instant()).isEqualTo(T0);
    }
  }

  @Test
  void memoryStore_runFinishes_stampsItsStatusWithTheRuntimeClock() {
    ManualTime time = new ManualTime(T0);
    try (AgentRuntime rt =
        runtime(dir, PAUSING)
            .clock(time)
            .sleeper(time.advancing())
            .function("nap", (in, ctx) -> BooleanNode.valueOf(ctx.pause(Duration.ofDays(3))))
            .build()) {
      RunResult r = rt.run("pausing", null);

      assertThat(rt.checkpointStore().find(r.runId()).orElseThrow().updatedAt())
          .isEqualTo(T0.plus(Duration.ofDays(3)));
    }
  }
}
