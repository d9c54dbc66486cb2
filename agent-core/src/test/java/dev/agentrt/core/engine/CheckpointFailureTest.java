package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step that cannot be checkpointed stops the run: nothing after it executes. */
class CheckpointFailureTest {
  @TempDir Path dir;

  @Test
  void run_storeRefusesAnAppend_stopsTheRunWithoutExecutingFurtherSteps() {
    String wf =
        """
        id: chain
        nodes:
          - {id: start, role: start}
          - {id: a, kind: function, function: count}
          - {id: b, kind: function, function: count}
          - {id: c, kind: function, function: count}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {from: a, to: b}
          - {from: b, to: c}
          - {from: c, to: done}
        """;
    AtomicInteger executed = new AtomicInteger();
    FailingStore store = new FailingStore(3);
    try (AgentRuntime rt =
        runtime(dir, wf)
            .checkpointStore(store)
            .function("count", (in, ctx) -> IntNode.valueOf(executed.incrementAndGet()))
            .build()) {
      RunResult r = rt.run("chain", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("b#0");
      assertThat(r.message())
          .isEqualTo("step 'b#0' could not be checkpointed: run 'x' is owned by another engine");
      assertThat(executed.get()).isEqualTo(2);
      assertThat(Fixture.keys(r))
          .as("the step that could not be checkpointed is not reported completed")
          .containsExactly("start#0", "a#0");
      assertThat(store.statusUpdates.get()).isZero();
    }
  }

  @Test
  void
      run_appendRefusedBecauseAnotherOwnerTookTheRunOver_reportsRunningWithOwnershipLostAndRecordsNoStatus() {
    String wf =
        """
        id: chain
        nodes:
          - {id: start, role: start}
          - {id: a, kind: function, function: count}
          - {id: b, kind: function, function: count}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {from: a, to: b}
          - {from: b, to: done}
        """;
    AtomicInteger executed = new AtomicInteger();
    FailingStore store =
        new FailingStore(
            2,
            () ->
                new RunOwnedException(
                    "x",
                    "engine-b",
                    Instant.parse("2026-03-01T10:00:31Z"),
                    "run 'x' is owned by engine-b since 2026-03-01T10:00:16Z"));
    try (AgentRuntime rt =
        runtime(dir, wf)
            .checkpointStore(store)
            .runIds(() -> "x")
            .function("count", (in, ctx) -> IntNode.valueOf(executed.incrementAndGet()))
            .build()) {
      RunResult r = rt.run("chain", null);

      assertThat(r.status())
          .as("the run has not failed: it continues under its new owner")
          .isEqualTo(RunStatus.RUNNING);
      assertThat(r.reason()).isEqualTo(FailureReason.OWNERSHIP_LOST);
      assertThat(r.stepKey()).isEqualTo("a#0");
      assertThat(r.message())
          .isEqualTo(
              "this engine lost ownership of run 'x' before step 'a#0' could be "
                  + "checkpointed; the run continues under owner engine-b (run 'x' is owned by engine-b since "
                  + "2026-03-01T10:00:16Z)");
      assertThat(executed.get()).as("nothing after the refused step executes").isEqualTo(1);
      assertThat(Fixture.keys(r)).containsExactly("start#0");
      assertThat(store.statusUpdates.get())
          .as("no status is recorded over the new owner's run")
          .isZero();
    }
  }

  @Test
  void run_inStepRecordRefusedBecauseAnotherOwnerTookTheRunOver_stopsAtOnceWithoutRetrying() {
    String wf =
        """
        id: chain
        nodes:
          - {id: start, role: start}
          - {id: a, kind: recorder, retry: {max_attempts: 3, backoff: 1ms}}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {from: a, to: done}
        """;
    AtomicInteger attempts = new AtomicInteger();
    NodeExecutor recorder =
        new NodeExecutor() {
          @Override
          public String kind() {
            return "recorder";
          }

          @Override
          public NodeOutcome execute(NodeInput input, NodeContext ctx) {
            attempts.incrementAndGet();
            ctx.calls()
                .record(
                    new CallRecord(
                        ctx.runId(),
                        ctx.stepKey(),
                        0,
                        CallKind.TOOL,
                        "echo",
                        "h",
                        JsonNodeFactory.instance.objectNode(),
                        JsonNodeFactory.instance.objectNode(),
                        new BudgetUsage(0, 0, 0, 0, 0, 1, Duration.ZERO),
                        Instant.EPOCH,
                        Duration.ZERO));
            return NodeOutcome.completed(IntNode.valueOf(1));
          }
        };
    FailingStore store =
        new FailingStore(
            Integer.MAX_VALUE,
            () ->
                new RunOwnedException(
                    "x",
                    "engine-b",
                    Instant.parse("2026-03-01T10:00:31Z"),
                    "run 'x' is owned by engine-b since 2026-03-01T10:00:16Z"));
    store.refuseCalls = true;
    try (AgentRuntime rt =
        runtime(dir, wf).checkpointStore(store).runIds(() -> "x").nodeExecutor(recorder).build()) {
      RunResult r = rt.run("chain", null);

      assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(r.reason()).isEqualTo(FailureReason.OWNERSHIP_LOST);
      assertThat(r.stepKey()).isEqualTo("a#0");
      assertThat(attempts.get()).as("a step whose records are refused is not retried").isEqualTo(1);
      assertThat(store.statusUpdates.get()).isZero();
    }
  }

  /** Accepts {@code failAt - 1} appends, then refuses every write as a fenced store would. */
  static final class FailingStore implements CheckpointStore {
    private final int failAt;
    private final Supplier<CheckpointStoreException> refusal;
    private final AtomicInteger appends = new AtomicInteger();
    final AtomicInteger statusUpdates = new AtomicInteger();

    /** Whether in-step records are refused too (every one of them). */
    boolean refuseCalls;

    FailingStore(int failAt) {
      this(failAt, () -> new CheckpointStoreException("run 'x' is owned by another engine"));
    }

    FailingStore(int failAt, Supplier<CheckpointStoreException> refusal) {
      this.failAt = failAt;
      this.refusal = refusal;
    }

    @Override
    public RunLog create(RunRecord run) {
      return new RunLog() {
        @Override
        public RunRecord run() {
          return run;
        }

        @Override
        public List<StepRecord> steps() {
          return List.of();
        }

        @Override
        public List<CallRecord> calls(String stepKey) {
          return List.of();
        }

        @Override
        public void appendStep(StepRecord step, List<CallRecord> withStep) {
          if (appends.incrementAndGet() >= failAt) throw refusal.get();
        }

        @Override
        public void appendCall(CallRecord call) {
          if (refuseCalls) throw refusal.get();
        }

        @Override
        public void updateStatus(
            RunStatus status,
            dev.agentrt.core.@Nullable FailureReason reason,
            @Nullable String stepKey,
            @Nullable String message,
            JsonNode output) {
          statusUpdates.incrementAndGet();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public RunLog open(String runId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RunRecord> find(String runId) {
      return Optional.empty();
    }

    @Override
    public List<RunRecord> list(RunQuery query) {
      return List.of();
    }

    @Override
    public List<StepRecord> steps(String runId) {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
