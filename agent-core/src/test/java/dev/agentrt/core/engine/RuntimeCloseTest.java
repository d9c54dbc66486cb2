package dev.agentrt.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentRuntime#close()}: refuses new runs, waits for runs in flight, closes once. */
class RuntimeCloseTest {
  private static final String WF =
      """
      id: wf
      nodes:
        - {id: start, role: start}
        - {id: work, kind: function, function: work}
        - {id: done, role: exit, output: {work: "{{work}}"}}
      edges:
        - {from: start, to: work}
        - {from: work, to: done}
      """;

  @TempDir Path dir;

  @Test
  void close_thenRunStartResumeForkReplay_throwIllegalState() {
    AgentRuntime rt =
        Fixture.runtime(dir, WF).function("work", (in, ctx) -> TextNode.valueOf("ok")).build();
    String runId = rt.run("wf", null).runId();

    rt.close();

    assertThatThrownBy(() -> rt.run("wf", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> rt.start("wf", null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> rt.resume(runId, null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> rt.fork(runId, "work#0")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> rt.replay(runId)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_calledTwice_closesTheStoreOnce() {
    AtomicInteger closes = new AtomicInteger();
    CheckpointStore store = countingCloses(CheckpointStore.inMemory(10), closes);
    AgentRuntime rt =
        Fixture.runtime(dir, WF)
            .function("work", (in, ctx) -> TextNode.valueOf("ok"))
            .checkpointStore(store)
            .build();

    rt.close();
    rt.close();

    assertThat(closes).hasValue(1);
  }

  @Test
  void close_whileRunInFlight_waitsForItToComplete() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AgentRuntime rt =
        Fixture.runtime(dir, WF)
            .function(
                "work",
                (in, ctx) -> {
                  entered.countDown();
                  Fixture.await(release);
                  return TextNode.valueOf("finished");
                })
            .closeTimeout(Duration.ofMinutes(5))
            .build();
    RunHandle h = rt.start("wf", null);
    Fixture.await(entered);

    Thread closer = new Thread(rt::close, "closer");
    closer.start();
    awaitRefusing(rt); // close() has begun: it refuses new runs while the first is in flight
    release.countDown();
    closer.join();

    RunResult r = h.await();
    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().path("work").asText()).isEqualTo("finished");
  }

  @Test
  void close_runOutlivesCloseTimeout_interruptsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AgentRuntime rt =
        Fixture.runtime(dir, WF)
            .function(
                "work",
                (in, ctx) -> {
                  entered.countDown();
                  never.await();
                  return TextNode.valueOf("unreachable");
                })
            .closeTimeout(Duration.ZERO)
            .build();
    RunHandle h = rt.start("wf", null);
    Fixture.await(entered);

    rt.close();

    assertThat(
            h.toCompletableFuture()
                .handle((r, e) -> r == null ? RunStatus.FAILED : r.status())
                .get())
        .isNotEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void closeTimeout_negative_isRefused() {
    assertThatThrownBy(() -> AgentRuntime.builder().closeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Spins (without sleeping) until the runtime refuses a new run, which close() does first. */
  private static void awaitRefusing(AgentRuntime rt) {
    while (true) {
      try {
        rt.replay("no-such-run");
      } catch (IllegalStateException e) {
        return;
      } catch (RuntimeException e) {
        Thread.onSpinWait(); // not closed yet: the store says there is no such run
      }
    }
  }

  private static CheckpointStore countingCloses(CheckpointStore delegate, AtomicInteger closes) {
    return (CheckpointStore)
        Proxy.newProxyInstance(
            CheckpointStore.class.getClassLoader(),
            new Class<?>[] {CheckpointStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0)
                closes.incrementAndGet();
              try {
                return method.invoke(delegate, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
