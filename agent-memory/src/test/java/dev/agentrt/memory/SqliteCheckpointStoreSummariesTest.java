package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.T0;
import static dev.agentrt.memory.Fixtures.exec;
import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunSummary;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing runs reads none of their values, and one unreadable row does not hide the others. */
class SqliteCheckpointStoreSummariesTest {
  @TempDir Path dir;
  Path db;
  SqliteCheckpointStore store;

  @BeforeEach
  void openStore() {
    db = dir.resolve("runs.db");
    store = SqliteCheckpointStore.open(db);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private void create(String runId, String workflowId, int second) {
    try (RunLog log = store.create(run(runId, workflowId, T0.plusSeconds(second)))) {
      if (runId.equals("r2")) {
        log.updateStatus(
            RunStatus.WAITING, FailureReason.INTERRUPTED, "approve#0", "waits", json("null"));
      }
    }
  }

  @Test
  void summaries_threeRuns_newestFirstWithTheirListedFieldsAndFilters() {
    create("r1", "a", 1);
    create("r2", "b", 2);
    create("r3", "a", 3);

    RunListing all = store.summaries(RunQuery.all());

    assertThat(all.unreadable()).isEmpty();
    assertThat(all.runs()).extracting(RunSummary::runId).containsExactly("r3", "r2", "r1");
    RunSummary waiting = all.runs().get(1);
    assertThat(waiting)
        .isEqualTo(
            new RunSummary(
                "r2",
                "b",
                RunStatus.WAITING,
                FailureReason.INTERRUPTED,
                "approve#0",
                T0.plusSeconds(2),
                store.find("r2").orElseThrow().updatedAt()));
    assertThat(all.runs())
        .isEqualTo(store.list(RunQuery.all()).stream().map(RunSummary::of).toList());
    assertThat(store.summaries(RunQuery.builder().workflowId("a").build()).runs())
        .extracting(RunSummary::runId)
        .containsExactly("r3", "r1");
    assertThat(store.summaries(RunQuery.builder().status(RunStatus.WAITING).build()).runs())
        .extracting(RunSummary::runId)
        .containsExactly("r2");
    assertThat(store.summaries(RunQuery.builder().since(T0.plusSeconds(2)).limit(1).build()).runs())
        .extracting(RunSummary::runId)
        .containsExactly("r3");
  }

  @Test
  void summaries_runWhoseInputAndOutputCannotBeReadBack_isListedWithoutReadingThem()
      throws Exception {
    create("r1", "a", 1);
    create("r2", "a", 2);
    exec(
        db,
        "UPDATE runs SET input = NULL, input_artifact = 'feedbeef', output = '{corrupt' WHERE run_id = 'r2'");
    assertThatThrownBy(() -> store.list(RunQuery.all()))
        .as("a full listing reads every value")
        .isInstanceOf(CheckpointStoreException.class);

    RunListing listing = store.summaries(RunQuery.all());

    assertThat(listing.unreadable()).isEmpty();
    assertThat(listing.runs()).extracting(RunSummary::runId).containsExactly("r2", "r1");
  }

  @Test
  void summaries_oneRowWithAnUnknownStatusAndOneFromANewerVersion_reportsEachAndListsTheOthers()
      throws Exception {
    create("r1", "a", 1);
    create("r2", "a", 2);
    create("r3", "a", 3);
    create("r4", "a", 4);
    exec(db, "UPDATE runs SET status = 99 WHERE run_id = 'r2'");
    exec(db, "UPDATE runs SET record_version = 9 WHERE run_id = 'r4'");

    RunListing listing = store.summaries(RunQuery.all());

    assertThat(listing.runs()).extracting(RunSummary::runId).containsExactly("r3", "r1");
    assertThat(listing.unreadable())
        .containsExactly(
            "checkpoint store "
                + store.path()
                + ": run 'r4': field 'record_version': unknown record version 9 (this "
                + "agentrt reads version 1; a newer agentrt wrote it) (the record cannot be read back, so the run cannot "
                + "be resumed from it; restore the store from a backup)",
            "checkpoint store "
                + store.path()
                + ": run 'r2': field 'status': unknown code 99 (a newer agentrt may have written it) (the record "
                + "cannot be read back, so the run cannot be resumed from it; restore the store from a backup)");
  }
}
