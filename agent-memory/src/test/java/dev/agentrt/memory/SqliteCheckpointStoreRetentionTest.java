package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.count;
import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static dev.agentrt.memory.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointStoreRetentionTest {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  Path db;
  MutableClock clock = new MutableClock(START);
  SqliteCheckpointStore store;
  JsonNode shared = Fixtures.JSON.valueToTree(Map.of("shared", "s".repeat(70_000)));
  JsonNode onlyR0 = Fixtures.JSON.valueToTree(Map.of("mine", "m".repeat(70_000)));

  @BeforeEach
  void open() {
    db = dir.resolve("runs.db");
    store = SqliteCheckpointStore.open(db, Fixtures.options().clock(clock).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  /**
   * r0..r3 completed an hour apart (r0 with its own artifact, r0 and r3 sharing one), r4 waiting.
   */
  private void fiveRuns() {
    for (int i = 0; i < 5; i++) {
      try (RunLog log = store.create(run("r" + i, "wf", START.plus(Duration.ofHours(i))))) {
        log.appendStep(
            step("r" + i, "a#0", i == 0 || i == 3 ? shared : json("" + i)),
            List.of(Fixtures.call("r" + i, "a#0", 0, "tool")));
        if (i == 0) log.appendStep(step("r0", "b#0", onlyR0), List.of());
        if (i < 4) log.updateStatus(RunStatus.COMPLETED, null, null, null, json("\"ok\""));
        else
          log.updateStatus(
              RunStatus.WAITING, FailureReason.INTERRUPTED, "a#0", "waits", json("null"));
      }
      clock.advance(Duration.ofHours(1));
    }
  }

  @Test
  void deleteRuns_keepLast_deletesOlderFinishedRunsWithStepsCallsEventsAndOrphanedArtifacts()
      throws Exception {
    fiveRuns();
    assertThat(count(db, "SELECT count(*) FROM artifacts")).isEqualTo(2);
    String deleted =
        String.join(
            ", ",
            Fixtures.strings(db, "SELECT run_key FROM runs WHERE run_id IN ('r0', 'r1', 'r2')"));
    for (String table : List.of("steps", "calls", "run_artifacts")) {
      assertThat(count(db, "SELECT count(*) FROM " + table + " WHERE run_key IN (" + deleted + ")"))
          .as(table + " before")
          .isPositive();
    }

    assertThat(store.deleteRuns(2)).isEqualTo(3);

    assertThat(store.list(RunQuery.all())).extracting(RunRecord::runId).containsExactly("r4", "r3");
    for (String table : List.of("steps", "calls", "run_events", "run_artifacts")) {
      assertThat(count(db, "SELECT count(*) FROM " + table + " WHERE run_key IN (" + deleted + ")"))
          .as(table)
          .isZero();
    }
    assertThat(store.artifacts("r3")).hasSize(1);
    assertThat(count(db, "SELECT count(*) FROM artifacts"))
        .as("r0's own artifact deleted, the shared one kept")
        .isEqualTo(1);
    assertThat(store.steps("r3").get(0).output()).isEqualTo(shared);
  }

  @Test
  void deleteRuns_keepZero_keepsWaitingRun() {
    fiveRuns();
    assertThat(store.deleteRuns(0)).isEqualTo(4);
    assertThat(store.list(RunQuery.all())).extracting(RunRecord::runId).containsExactly("r4");
    assertThat(store.artifacts("r4")).isEmpty();
  }

  @Test
  void deleteRunsOlderThan_age_deletesRunsFinishedBeforeCutoff() throws Exception {
    fiveRuns();
    // now START+5h; r0 finished at START, r1 at +1h, r2 at +2h, r3 at +3h
    assertThat(store.deleteRunsOlderThan(Duration.ofMinutes(150))).isEqualTo(3);
    assertThat(store.list(RunQuery.all())).extracting(RunRecord::runId).containsExactly("r4", "r3");
    assertThat(count(db, "SELECT count(*) FROM artifacts")).isEqualTo(1);
  }

  @Test
  void deleteRuns_runStillOwned_kept() {
    RunLog log = store.create(run("owned"));
    log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.deleteRuns(0)).isZero();
    log.close();
    assertThat(store.deleteRuns(0)).isEqualTo(1);
    assertThat(store.find("owned")).isEmpty();
  }
}
