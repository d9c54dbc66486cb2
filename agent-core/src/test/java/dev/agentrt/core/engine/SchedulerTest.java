package dev.agentrt.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.QueueFullException;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.Worker;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler: slots, the priority queue, its limits, cancelling, recovery and workers. */
class SchedulerTest {
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

  private final List<String> executed = new CopyOnWriteArrayList<>();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CheckpointStore store = CheckpointStore.inMemory(1000);
  private final CountDownLatch completed = new CountDownLatch(1);
  private final dev.agentrt.core.spi.RunListener completions =
      new dev.agentrt.core.spi.RunListener() {
        @Override
        public void runCompleted(RunEvent.RunCompleted event) {
          completed.countDown();
        }
      };

  /** A runtime whose function records each run's name; the run named "block" waits for release. */
  private AgentRuntime runtime(String scheduler) throws IOException {
    AgentRuntime.Builder b =
        Fixture.runtime(dir, WF)
            .checkpointStore(store)
            .listener(completions)
            .function(
                "work",
                (in, ctx) -> {
                  String name = in.get("input.name").asText();
                  executed.add(name);
                  if (name.equals("block")) {
                    entered.countDown();
                    Fixture.await(release);
                  }
                  return TextNode.valueOf(name);
                });
    Files.writeString(dir.resolve("config.yml"), scheduler);
    return b.build();
  }

  private static Map<String, String> named(String name) {
    return Map.of("name", name);
  }

  private static RunOptions priority(int p) {
    return RunOptions.builder().priority(p).build();
  }

  @Test
  void oneSlot_startedRunsWaitQueued_andRunByPriorityThenArrival() throws Exception {
    try (AgentRuntime rt = runtime("scheduler: {max_concurrency: 1}\n")) {
      RunHandle first = rt.start("wf", named("block"));
      Fixture.await(entered);
      RunHandle b = rt.start("wf", named("b"), priority(0));
      RunHandle c = rt.start("wf", named("c"), priority(5));
      RunHandle d = rt.enqueue("wf", named("d"));

      assertThat(store.find(b.runId()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
      assertThat(store.find(c.runId()).orElseThrow().priority()).isEqualTo(5);
      assertThat(store.list(RunQuery.builder().status(RunStatus.QUEUED).build())).hasSize(3);

      release.countDown();
      for (RunHandle h : List.of(first, b, c, d)) {
        assertThat(h.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      }
      assertThat(executed).containsExactly("block", "c", "b", "d");
      assertThat(store.find(d.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void fullQueue_reject_refusesWithQueueFullException_andStoresNothing() throws Exception {
    try (AgentRuntime rt = runtime("scheduler: {max_concurrency: 1, max_queue_size: 1}\n")) {
      RunHandle first = rt.start("wf", named("block"));
      Fixture.await(entered);
      RunHandle queued = rt.enqueue("wf", named("q"));
      int before = store.list(RunQuery.all()).size();

      assertThatThrownBy(() -> rt.enqueue("wf", named("refused")))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("max_queue_size");
      assertThatThrownBy(() -> rt.run("wf", named("refused too")))
          .isInstanceOf(QueueFullException.class);
      assertThat(store.list(RunQuery.all())).hasSize(before);

      release.countDown();
      assertThat(first.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(queued.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(executed).containsExactly("block", "q");
    }
  }

  @Test
  void cancelQueuedRun_endsCancelledWithoutExecutingAStep() throws Exception {
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt = runtime("scheduler: {max_concurrency: 1}\n")) {
      rt.addListener(events);
      RunHandle first = rt.start("wf", named("block"));
      Fixture.await(entered);
      RunHandle queued = rt.enqueue("wf", named("never"));

      queued.cancel();
      RunResult r = queued.await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(r.steps()).isEmpty();
      RunRecord stored = store.find(queued.runId()).orElseThrow();
      assertThat(stored.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(store.steps(queued.runId())).isEmpty();
      release.countDown();
      first.await(Duration.ofSeconds(10));
      assertThat(executed).containsExactly("block");
      assertThat(events.of(RunEvent.RunQueued.class))
          .extracting(RunEvent.RunQueued::runId)
          .containsExactly(queued.runId());
      assertThat(events.of(RunEvent.RunDequeued.class)).isEmpty();
    }
  }

  @Test
  void enqueue_withoutLimits_storesQueuedThenRuns_reportingQueuedAndDequeued() throws Exception {
    Fixture.RecordingListener events = new Fixture.RecordingListener();
    try (AgentRuntime rt = runtime("checkpoint: {store: memory}\n")) {
      RunHandle h =
          rt.enqueue("wf", named("x"), RunOptions.builder().listener(events).priority(2).build());
      RunResult r = h.await(Duration.ofSeconds(10));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().get("work").asText()).isEqualTo("x");
      assertThat(events.events.get(0)).isInstanceOf(RunEvent.RunQueued.class);
      assertThat(((RunEvent.RunQueued) events.events.get(0)).priority()).isEqualTo(2);
      assertThat(events.events.get(1)).isInstanceOf(RunEvent.RunDequeued.class);
      assertThat(events.of(RunEvent.RunCompleted.class)).hasSize(1);
    }
  }

  @Test
  void closedRuntime_leavesQueuedRunsQueued_andRecoveryStartsThem() throws Exception {
    AgentRuntime first = runtimeClosingFast("scheduler: {max_concurrency: 1}\n");
    RunHandle blocking = first.start("wf", named("block"));
    Fixture.await(entered);
    RunHandle left = first.enqueue("wf", named("left"));
    first.close();
    assertThatThrownBy(left::await).hasMessageContaining("stays QUEUED");
    assertThat(store.find(left.runId()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
    release.countDown();
    blocking.toCompletableFuture().handle((r, e) -> null).get();

    executed.clear();
    try (AgentRuntime second = runtime("scheduler: {max_concurrency: 1}\n")) {
      Worker recovery = second.recoverOrphaned();
      assertThat(recovery.awaitIdle(Duration.ofSeconds(10))).isTrue();

      assertThat(executed).containsExactly("left");
      assertThat(store.find(left.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void recoverOnStart_continuesARunWhoseOwnerLeftItRunning() throws Exception {
    String runId;
    try (AgentRuntime producer = runtime("checkpoint: {store: memory}\n")) {
      String hash = producer.manifests().hash("wf");
      Instant now = Instant.now();
      RunRecord orphan =
          new RunRecord(
              "orphan-1",
              "wf",
              hash,
              "test",
              Fixture.json("{\"name\": \"orphan\"}"),
              RunStatus.RUNNING,
              null,
              null,
              null,
              NullNode.getInstance(),
              now,
              now);
      store.create(orphan).close(); // the owner died: running, nobody owns it
      runId = orphan.runId();
    }

    AgentRuntime rt =
        runtime(
            "checkpoint: {store: memory, recover_on_start: true}\n"
                + "scheduler: {max_concurrency: 2}\n");
    try {
      Fixture.await(completed);
      RunRecord r = store.find(runId).orElseThrow();
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().get("work").asText()).isEqualTo("orphan");
      assertThat(executed).containsExactly("orphan");
    } finally {
      rt.close();
    }
  }

  @Test
  void worker_executesRunsLeftToWorkers_andTheHandleCompletesFromTheStore() throws Exception {
    try (AgentRuntime rt = runtime("checkpoint: {store: memory}\n")) {
      RunOptions left = RunOptions.builder().leaveToWorkers().build();
      RunHandle a = rt.enqueue("wf", named("a"), left);
      RunHandle b = rt.enqueue("wf", named("b"), left);
      assertThat(store.find(a.runId()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
      assertThat(executed).isEmpty();

      Worker worker = rt.worker(1, Duration.ofMillis(20));
      assertThat(a.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(b.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(executed).containsExactly("a", "b");
      assertThat(worker.drain(Duration.ofSeconds(5))).isTrue();
      assertThat(worker.executed()).isEqualTo(2);
    }
  }

  @Test
  void drain_releasesARunStillExecuting_andAnotherWorkerFinishesIt() throws Exception {
    try (AgentRuntime rt = runtime("checkpoint: {store: memory}\n")) {
      RunHandle h = rt.enqueue("wf", named("block"), RunOptions.builder().leaveToWorkers().build());
      Worker first = rt.worker(1, Duration.ofMillis(20));
      Fixture.await(entered);

      assertThat(first.drain(Duration.ofMillis(50))).isFalse();
      RunRecord released = store.find(h.runId()).orElseThrow();
      assertThat(released.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(released.reason()).isEqualTo(dev.agentrt.core.FailureReason.RELEASED);
      assertThat(store.steps(h.runId())).noneMatch(s -> s.nodeId().equals("work"));

      release.countDown();
      Worker second = rt.worker(1, Duration.ofMillis(20));
      assertThat(h.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(executed).containsExactly("block", "block");
      second.drain(Duration.ofSeconds(5));
    }
  }

  @Test
  void retention_isAppliedInTheBackground_keepingQueuedAndWaitingRuns() throws Exception {
    try (AgentRuntime rt = runtime("checkpoint: {store: memory}\n")) {
      for (String n : List.of("a", "b", "c", "d")) rt.run("wf", named(n));
    }
    CountDownLatch pruned = new CountDownLatch(1);
    CheckpointStore counting =
        (CheckpointStore)
            java.lang.reflect.Proxy.newProxyInstance(
                CheckpointStore.class.getClassLoader(),
                new Class<?>[] {CheckpointStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("prune")) pruned.countDown();
                  return result;
                });
    AgentRuntime.Builder b =
        Fixture.runtime(dir, WF)
            .checkpointStore(counting)
            .function("work", (in, ctx) -> TextNode.valueOf("x"));
    Files.writeString(
        dir.resolve("config.yml"), "checkpoint: {store: memory, retention: {keep_last: 2}}\n");
    try (AgentRuntime rt = b.build()) {
      assertThat(rt.checkpointStore()).isSameAs(counting);
      Fixture.await(pruned);
      assertThat(store.list(RunQuery.all())).hasSize(2);
    }
  }

  private AgentRuntime runtimeClosingFast(String config) throws IOException {
    AgentRuntime.Builder b =
        Fixture.runtime(dir, WF)
            .checkpointStore(store)
            .closeTimeout(Duration.ofMillis(1))
            .function(
                "work",
                (in, ctx) -> {
                  String name = in.get("input.name").asText();
                  executed.add(name);
                  if (name.equals("block")) {
                    entered.countDown();
                    Fixture.await(release);
                  }
                  return TextNode.valueOf(name);
                });
    Files.writeString(dir.resolve("config.yml"), config);
    return b.build();
  }
}
