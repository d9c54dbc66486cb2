package dev.agentrt.store.postgres;

import static dev.agentrt.store.postgres.Fixtures.T0;
import static dev.agentrt.store.postgres.Fixtures.call;
import static dev.agentrt.store.postgres.Fixtures.json;
import static dev.agentrt.store.postgres.Fixtures.run;
import static dev.agentrt.store.postgres.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code CheckpointStore} SPI on a real PostgreSQL server. */
class PostgresCheckpointStoreTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private String url;
  private PostgresCheckpointStore store;

  @BeforeEach
  void open() {
    url = TestDatabase.emptySchema(PostgresCheckpointStoreTest.class);
    store =
        PostgresCheckpointStore.open(
            TestDatabase.options(url).ownerId("engine-a").clock(clock).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void create_runWithEveryField_readsBackTheSameRecord() {
    RunRecord run =
        new RunRecord(
            "r1",
            "wf",
            "hash",
            "0.1.0-test",
            json("{\"z\":1,\"a\":[1.50,\"\\u0000é\"],\"big\":12345678901234567890}"),
            RunStatus.RUNNING,
            null,
            null,
            null,
            NullNode.getInstance(),
            T0,
            T0.plusNanos(7),
            Map.of("team", "core", "env", "test"),
            BudgetLimits.builder().maxHops(10).maxCostUsd(1.25).build(),
            T0.plusSeconds(60),
            5,
            "parent",
            "draft#0");
    try (RunLog log = store.create(run)) {
      assertThat(log.run()).isEqualTo(run);
    }

    RunRecord read = store.find("r1").orElseThrow();

    assertThat(read).isEqualTo(run);
    assertThat(read.input().toString())
        .as("values are kept as written, key order included")
        .isEqualTo(run.input().toString());
    assertThat(store.summaries(RunQuery.all()).runs())
        .as("the summary carries the lineage")
        .containsExactly(RunSummary.of(run));
  }

  @Test
  void create_existingRunId_failsNamingTheRun() {
    store.create(run("r1")).close();

    assertThatThrownBy(() -> store.create(run("r1")))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'r1' already exists (run ids must be unique)");
  }

  @Test
  void appendStep_stepsAndCalls_readBackInAppendOrder() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "start#0", NullNode.getInstance()), List.of());
      log.appendCall(call("r1", "work#0", 0, "fs.read"));
      log.appendStep(
          step("r1", "work#0", json("{\"done\":true}")), List.of(call("r1", "work#0", 1, "http")));
      log.updateStatus(RunStatus.COMPLETED, null, null, null, json("{\"answer\":42}"));
    }

    assertThat(store.steps("r1"))
        .containsExactly(
            step("r1", "start#0", NullNode.getInstance()),
            step("r1", "work#0", json("{\"done\":true}")));
    assertThat(store.calls("r1"))
        .containsExactly(call("r1", "work#0", 0, "fs.read"), call("r1", "work#0", 1, "http"));
    RunRecord done = store.find("r1").orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(done.output()).isEqualTo(json("{\"answer\":42}"));
    assertThat(done.updatedAt()).isEqualTo(clock.instant());
  }

  @Test
  void appendStep_usageAndFailure_readBackExactly() {
    StepRecord failed =
        new StepRecord(
            "r1",
            "agent#2",
            "agent",
            3,
            StepStatus.FAILED,
            json("{\"$error\":\"boom\"}"),
            "boom",
            T0.plusNanos(1),
            Duration.ofNanos(123_456_789),
            new BudgetUsage(1, 100, 20, 0.0125, 2, 3, Duration.ofMillis(1500)));
    CallRecord llm =
        new CallRecord(
            "r1",
            "agent#2",
            0,
            CallKind.LLM,
            "gpt",
            "h",
            json("{\"messages\":[]}"),
            json("\"text\""),
            new BudgetUsage(0, 100, 20, 0.0125, 1, 0, Duration.ZERO),
            T0,
            Duration.ofMillis(40));
    try (RunLog log = store.create(run("r1"))) {
      log.appendCall(llm);
      log.appendStep(failed, List.of());
      log.updateStatus(
          RunStatus.FAILED,
          FailureReason.NODE_FAILED,
          "agent#2",
          "it failed",
          NullNode.getInstance());
    }

    assertThat(store.steps("r1")).containsExactly(failed);
    assertThat(store.calls("r1")).containsExactly(llm);
    RunRecord r = store.find("r1").orElseThrow();
    assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
    assertThat(r.stepKey()).isEqualTo("agent#2");
    assertThat(r.message()).isEqualTo("it failed");
  }

  @Test
  void open_storedRun_readsBackStepsAndTheCallsOfEachStepAsTheyWereAtOpen() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "start#0", NullNode.getInstance()), List.of());
      log.appendCall(call("r1", "agent#0", 0, "a"));
      log.appendCall(call("r1", "agent#0", 1, "b"));
    }

    try (RunLog log = store.open("r1")) {
      assertThat(log.run()).isEqualTo(run("r1"));
      assertThat(log.steps()).extracting(StepRecord::stepKey).containsExactly("start#0");
      log.appendCall(call("r1", "agent#0", 2, "c"));
      assertThat(log.calls("agent#0"))
          .as("the calls of the earlier execution, not those this log appends")
          .extracting(CallRecord::name)
          .containsExactly("a", "b");
      assertThat(log.calls("other#0")).isEmpty();
    }
  }

  @Test
  void open_unknownRun_failsWithRunNotFound() {
    assertThatThrownBy(() -> store.open("nope"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessage("no run 'nope' in the checkpoint store " + TestDatabase.url());
  }

  @Test
  void appendStep_outputTooDeep_failsWithIllegalArgumentAndWritesNothing() {
    ArrayNode root = JsonNodeFactory.instance.arrayNode();
    ArrayNode a = root;
    for (int i = 0; i < 1_100; i++) a = a.addArray();
    try (RunLog log = store.create(run("r1"))) {
      assertThatThrownBy(
              () ->
                  log.appendStep(step("r1", "deep#0", root), List.of(call("r1", "deep#0", 0, "x"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("value cannot be written as JSON: Document nesting depth (1001)");
    }
    assertThat(store.steps("r1")).isEmpty();
    assertThat(store.calls("r1")).isEmpty();
  }

  @Test
  void appendStep_callOfAnotherRun_failsAndWritesNothing() {
    try (RunLog log = store.create(run("r1"))) {
      assertThatThrownBy(
              () ->
                  log.appendStep(step("r1", "a#0", json("1")), List.of(call("r2", "a#0", 0, "x"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("run 'r1': call record of step 'a#0' belongs to run 'r2'");
    }
    assertThat(store.steps("r1")).isEmpty();
  }

  @Test
  void appendStep_closedLog_failsSayingSo() {
    RunLog log = store.create(run("r1"));
    log.close();

    assertThatThrownBy(() -> log.appendStep(step("r1", "a#0", json("1")), List.of()))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'r1': cannot append step 'a#0': this run log is closed");
  }

  @Test
  void list_queries_filterByWorkflowStatusSinceAndLabelsNewestFirst() {
    store.create(run("a", "wf1", T0)).close();
    store.create(run("b", "wf2", T0.plusSeconds(1))).close();
    RunRecord labelled =
        new RunRecord(
            "c",
            "wf1",
            "h",
            "v",
            json("{}"),
            RunStatus.RUNNING,
            null,
            null,
            null,
            NullNode.getInstance(),
            T0.plusSeconds(2),
            T0.plusSeconds(2),
            Map.of("team", "core"),
            null,
            null);
    try (RunLog log = store.create(labelled)) {
      log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
    }

    assertThat(store.list(RunQuery.all()))
        .extracting(RunRecord::runId)
        .containsExactly("c", "b", "a");
    assertThat(store.list(RunQuery.builder().workflowId("wf1").build()))
        .extracting(RunRecord::runId)
        .containsExactly("c", "a");
    assertThat(store.list(RunQuery.builder().status(RunStatus.COMPLETED).build()))
        .extracting(RunRecord::runId)
        .containsExactly("c");
    assertThat(store.list(RunQuery.builder().since(T0.plusSeconds(1)).build()))
        .extracting(RunRecord::runId)
        .containsExactly("c", "b");
    assertThat(store.list(RunQuery.builder().label("team", "core").build()))
        .extracting(RunRecord::runId)
        .containsExactly("c");
    assertThat(store.list(RunQuery.builder().label("team", "other").build())).isEmpty();
    assertThat(store.list(RunQuery.builder().limit(2).build()))
        .extracting(RunRecord::runId)
        .containsExactly("c", "b");
    assertThat(store.summaries(RunQuery.builder().limit(2).build()).runs())
        .containsExactly(
            RunSummary.of(store.find("c").orElseThrow()),
            RunSummary.of(store.find("b").orElseThrow()));
  }

  @Test
  void summaries_rowOfAnUnknownVersion_isReportedAndTheOthersListed() {
    store.create(run("good", "wf", T0)).close();
    store.create(run("bad", "wf", T0.plusSeconds(1))).close();
    TestDatabase.exec(url, "UPDATE agentrt_runs SET record_version = 9 WHERE run_id = 'bad'");

    var listing = store.summaries(RunQuery.all());

    assertThat(listing.runs()).extracting(RunSummary::runId).containsExactly("good");
    assertThat(listing.unreadable())
        .containsExactly(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'bad': field 'record_version': unknown record version 9 (this agentrt reads"
                + " version 1; a newer agentrt wrote it) (the record cannot be read back, so the run"
                + " cannot be resumed from it; restore the store from a backup)");
  }

  @Test
  void steps_corruptOutput_failsNamingRunStepAndField() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("{\"x\":1}")), List.of());
    }
    TestDatabase.exec(url, "UPDATE agentrt_steps SET output = '{\"x\":' WHERE run_id = 'r1'");

    assertThatThrownBy(() -> store.steps("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store " + TestDatabase.url() + ": run 'r1', step 'a#0' (seq ")
        .hasMessageContaining("): field 'output': corrupt JSON (");
  }

  @Test
  void delete_runHeldByAnEngine_failsNamingTheOwner_andDeletesOnceReleased() {
    RunLog log = store.create(run("r1"));
    log.appendStep(step("r1", "a#0", json("1")), List.of(call("r1", "a#0", 0, "x")));

    assertThatThrownBy(() -> store.delete("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'r1': cannot be deleted: it is executing (owner engine-a)");

    log.close();
    assertThat(store.delete("r1")).isTrue();
    assertThat(store.find("r1")).isEmpty();
    assertThat(store.steps("r1")).isEmpty();
    assertThat(store.calls("r1")).isEmpty();
    assertThat(TestDatabase.count(url, "SELECT count(*) FROM agentrt_run_events")).isZero();
    assertThat(store.delete("r1")).isFalse();
  }

  @Test
  void prune_keepLastAndMaxAge_deleteOnlyFinishedUnownedRuns() {
    for (int i = 0; i < 5; i++) {
      try (RunLog log = store.create(run("done" + i, "wf", T0.plusSeconds(i)))) {
        log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
      }
      clock.advance(Duration.ofMinutes(10));
    }
    try (RunLog log = store.create(run("waiting", "wf", T0.minusSeconds(10)))) {
      log.updateStatus(RunStatus.WAITING, FailureReason.INTERRUPTED, "a#0", null, json("null"));
    }
    RunLog running = store.create(run("running", "wf", T0.minusSeconds(20)));

    assertThat(store.prune(null, null)).isZero();
    assertThat(store.prune(3, null))
        .as("beyond the newest 3 runs (all count): done1, done0 (waiting and running are kept)")
        .isEqualTo(2);
    assertThat(store.list(RunQuery.all()))
        .extracting(RunRecord::runId)
        .containsExactly("done4", "done3", "done2", "waiting", "running");
    assertThat(store.prune(null, Duration.ofMinutes(15)))
        .as("status changed 30 and 20 minutes ago: done2, done3")
        .isEqualTo(2);
    assertThat(store.list(RunQuery.all()))
        .extracting(RunRecord::runId)
        .containsExactly("done4", "waiting", "running");
    assertThatThrownBy(() -> store.prune(-1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepLast must be >= 0, was -1");
    running.close();
  }

  @Test
  void open_applicationsDataSource_isUsedAndLeftOpen() throws Exception {
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser("postgres");
    store.create(run("r1")).close();

    try (PostgresCheckpointStore other =
        PostgresCheckpointStore.open(PostgresStoreOptions.builder(ds).ownerId("app").build())) {
      assertThat(other.find("r1")).isPresent();
      assertThat(other.toString()).isEqualTo("PostgresCheckpointStore{" + TestDatabase.url() + "}");
    }
    try (java.sql.Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).as("the application's DataSource still works").isTrue();
    }
  }

  @Test
  void close_withLogStillOpen_releasesItsLease() {
    store.create(run("r1"));
    store.close();

    try (PostgresCheckpointStore other =
            PostgresCheckpointStore.open(
                TestDatabase.options(url).ownerId("engine-b").clock(clock).build());
        RunLog log = other.open("r1")) {
      assertThat(log.run().runId()).isEqualTo("r1");
    }
    assertThatThrownBy(() -> store.find("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'r1': cannot read the run: the store is closed");
  }
}
