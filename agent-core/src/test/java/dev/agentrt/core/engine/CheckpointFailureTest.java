package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step that cannot be checkpointed stops the run: nothing after it executes. */
class CheckpointFailureTest {
  @TempDir Path dir;

  @Test
  void run_storeRefusesAnAppend_stopsTheRunWithoutExecutingFurtherSteps() {
    String wf = """
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
    try (AgentRuntime rt = runtime(dir, wf).checkpointStore(store)
        .function("count", (in, ctx) -> IntNode.valueOf(executed.incrementAndGet())).build()) {
      RunResult r = rt.run("chain", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("b#0");
      assertThat(r.message()).isEqualTo("step 'b#0' could not be checkpointed: run 'x' is owned by another engine");
      assertThat(executed.get()).isEqualTo(2);
      assertThat(Fixture.keys(r)).as("the step that could not be checkpointed is not reported completed")
          .containsExactly("start#0", "a#0");
      assertThat(store.statusUpdates.get()).isZero();
    }
  }

  /** Accepts {@code okAppends - 1} appends, then refuses every write as a fenced store would. */
  private static final class FailingStore implements CheckpointStore {
    private final int failAt;
    private final AtomicInteger appends = new AtomicInteger();
    final AtomicInteger statusUpdates = new AtomicInteger();

    FailingStore(int failAt) {
      this.failAt = failAt;
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
          if (appends.incrementAndGet() >= failAt) {
            throw new CheckpointStoreException("run 'x' is owned by another engine");
          }
        }

        @Override
        public void appendCall(CallRecord call) {}

        @Override
        public void updateStatus(RunStatus status, dev.agentrt.core.@Nullable FailureReason reason,
            @Nullable String stepKey, @Nullable String message, JsonNode output) {
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
