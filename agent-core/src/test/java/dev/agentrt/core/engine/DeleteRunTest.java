package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CheckpointStore.delete on the in-memory store: any run no engine is executing. */
class DeleteRunTest {
  @TempDir Path dir;

  private static final String WAITS =
      """
      id: waits
      nodes:
        - {id: start, role: start}
        - {id: ask, kind: transform, template: 1, interrupt: before}
        - {id: done, role: exit}
      edges:
        - {from: start, to: ask}
        - {from: ask, to: done}
      """;

  @Test
  void delete_waitingRun_isGoneAndCannotBeResumed() {
    try (AgentRuntime rt = runtime(dir, WAITS).build()) {
      RunResult waiting = rt.run("waits", Map.of());
      CheckpointStore store = rt.checkpointStore();

      assertThat(store.delete(waiting.runId())).isTrue();
      assertThat(store.find(waiting.runId())).isEmpty();
      assertThat(store.steps(waiting.runId())).isEmpty();
      assertThat(store.delete(waiting.runId())).isFalse();
      assertThatThrownBy(() -> rt.resume(waiting.runId(), null))
          .isInstanceOf(RunNotFoundException.class);
    }
  }

  @Test
  void delete_runBeingExecuted_isRefusedAndKept() {
    CheckpointStore store = CheckpointStore.inMemory(10);
    Instant t = Instant.parse("2026-12-06T10:00:00Z");
    try (RunLog open =
        store.create(
            new RunRecord(
                "r1",
                "w",
                "h",
                "v",
                NullNode.getInstance(),
                RunStatus.RUNNING,
                null,
                null,
                null,
                NullNode.getInstance(),
                t,
                t))) {
      assertThatThrownBy(() -> store.delete("r1"))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessage("run 'r1' cannot be deleted: it is executing in this JVM");
      assertThat(store.find("r1")).contains(open.run());
    }
    assertThat(store.delete("r1")).isTrue();
  }
}
