package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.T0;
import static dev.agentrt.memory.Fixtures.call;
import static dev.agentrt.memory.Fixtures.count;
import static dev.agentrt.memory.Fixtures.exec;
import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static dev.agentrt.memory.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.spi.StoreValues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointStoreTest {
  @TempDir Path dir;
  Path db;
  SqliteCheckpointStore store;

  @BeforeEach
  void openStore() {
    db = dir.resolve("var/agentrt/runs.db");
    store = SqliteCheckpointStore.open(db);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private SqliteCheckpointStore reopen() {
    store.close();
    store = SqliteCheckpointStore.open(db);
    return store;
  }

  @Test
  void open_missingParentDirectories_createsThemAndTheFile() {
    assertThat(db).exists();
    assertThat(store.path()).isEqualTo(db.toAbsolutePath());
  }

  @Test
  void roundTrip_runRecord_everyFieldReadBackAfterReopen() {
    RunRecord r =
        new RunRecord(
            "r1",
            "triage",
            "abc123",
            "0.1.0-test",
            json("{\"text\":\"Disk full\",\"n\":[1,2.5,null]}"),
            RunStatus.RUNNING,
            null,
            null,
            null,
            NullNode.getInstance(),
            T0,
            T0.plusNanos(1));
    try (RunLog log = store.create(r)) {
      assertThat(log.run()).isEqualTo(r);
      log.updateStatus(
          RunStatus.FAILED,
          FailureReason.BUDGET_EXCEEDED,
          "classify#0",
          "max_hops 3 exceeded",
          json("{\"partial\":true}"));
    }
    RunRecord back = reopen().find("r1").orElseThrow();
    assertThat(back.runId()).isEqualTo("r1");
    assertThat(back.workflowId()).isEqualTo("triage");
    assertThat(back.manifestHash()).isEqualTo("abc123");
    assertThat(back.engineVersion()).isEqualTo("0.1.0-test");
    assertThat(back.input()).isEqualTo(r.input());
    assertThat(back.status()).isEqualTo(RunStatus.FAILED);
    assertThat(back.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(back.stepKey()).isEqualTo("classify#0");
    assertThat(back.message()).isEqualTo("max_hops 3 exceeded");
    assertThat(back.output()).isEqualTo(json("{\"partial\":true}"));
    assertThat(back.createdAt()).isEqualTo(T0);
    assertThat(back.updatedAt()).isAfter(T0.plusNanos(1));
  }

  @Test
  void roundTrip_runOptions_labelsBudgetAndDeadlineReadBack_andLabelsQueryable() throws Exception {
    BudgetLimits budget =
        BudgetLimits.builder()
            .maxHops(7)
            .maxDuration(Duration.ofSeconds(90))
            .maxCostUsd(0.25)
            .maxLlmCalls(3)
            .build();
    RunRecord r = run("r1");
    RunRecord withOptions =
        new RunRecord(
            r.runId(),
            r.workflowId(),
            r.manifestHash(),
            r.engineVersion(),
            r.input(),
            r.status(),
            null,
            null,
            null,
            r.output(),
            r.createdAt(),
            r.updatedAt(),
            Map.of("tenant", "acme", "it's", "a \"quoted\" value"),
            budget,
            T0.plusSeconds(60));
    store.create(withOptions).close();
    store.create(run("r2")).close();

    RunRecord back = reopen().find("r1").orElseThrow();
    assertThat(back.labels()).isEqualTo(withOptions.labels());
    assertThat(back.budget()).isEqualTo(budget);
    assertThat(back.deadline()).isEqualTo(T0.plusSeconds(60));
    assertThat(store.list(RunQuery.builder().label("tenant", "acme").build()))
        .extracting(RunRecord::runId)
        .containsExactly("r1");
    assertThat(store.list(RunQuery.builder().label("it's", "a \"quoted\" value").build()))
        .extracting(RunRecord::runId)
        .containsExactly("r1");
    assertThat(store.list(RunQuery.builder().label("tenant", "globex").build())).isEmpty();
    assertThat(count(db, "SELECT count(*) FROM runs WHERE options IS NULL")).isEqualTo(1);
  }

  @Test
  void delete_finishedOrWaitingRun_removesItsRowsAndOrphanArtifacts_butNotAnOwnedOne()
      throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(
          step("r1", "a#0", json("{\"big\":\"" + "x".repeat(70_000) + "\"}")), List.of());
      log.updateStatus(RunStatus.WAITING, null, "a#0", null, NullNode.getInstance());
      assertThatThrownBy(() -> store.delete("r1"))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageContaining("cannot be deleted: it is executing");
    }

    assertThat(store.delete("r1")).isTrue();
    assertThat(store.find("r1")).isEmpty();
    assertThat(store.delete("r1")).isFalse();
    for (String table :
        List.of("runs", "steps", "calls", "run_events", "run_artifacts", "artifacts"))
      assertThat(count(db, "SELECT count(*) FROM " + table)).as(table).isZero();
  }

  @Test
  void backup_whileARunIsOpen_opensAsAStoreWithTheSameRuns() throws Exception {
    store.create(run("done")).close();
    Path copy = dir.resolve("backups/runs-copy.db");
    try (RunLog live = store.create(run("live"))) {
      live.appendStep(
          step("live", "a#0", json("{\"big\":\"" + "y".repeat(70_000) + "\"}")), List.of());

      store.backup(copy);

      assertThatThrownBy(() -> store.backup(copy))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageContaining("the file exists");
    }
    try (SqliteCheckpointStore restored = SqliteCheckpointStore.open(copy)) {
      assertThat(restored.list(RunQuery.all())).isEqualTo(store.list(RunQuery.all()));
      assertThat(restored.steps("live")).isEqualTo(store.steps("live")).hasSize(1);
      assertThat(restored.artifacts("live")).hasSize(1);
    }
  }

  @Test
  void roundTrip_stepRecord_everyFieldReadBack() {
    StepRecord s =
        new StepRecord(
            "r1",
            "fanout#0[summary]/summary#0",
            "summary",
            3,
            StepStatus.FAILED,
            json("{\"a\":[1,{\"b\":\"é\\u0000\"}]}"),
            "boom: it failed",
            T0.plusSeconds(5),
            Duration.ofNanos(123_456_789),
            new BudgetUsage(2, 1200, 340, 0.0123, 3, 4, Duration.ofMillis(1500)));
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(s, List.of());
    }
    List<StepRecord> back = reopen().steps("r1");
    assertThat(back).hasSize(1);
    StepRecord b = back.get(0);
    assertThat(b.runId()).isEqualTo(s.runId());
    assertThat(b.stepKey()).isEqualTo(s.stepKey());
    assertThat(b.nodeId()).isEqualTo(s.nodeId());
    assertThat(b.attempts()).isEqualTo(3);
    assertThat(b.status()).isEqualTo(StepStatus.FAILED);
    assertThat(b.output()).isEqualTo(s.output());
    assertThat(b.error()).isEqualTo("boom: it failed");
    assertThat(b.startedAt()).isEqualTo(s.startedAt());
    assertThat(b.duration()).isEqualTo(s.duration());
    assertThat(b.usage()).isEqualTo(s.usage());
    assertThat(b).isEqualTo(s);
  }

  @Test
  void compactLayout_derivableValuesAreNotStored_andEveryRecordReadsBackEqual() throws Exception {
    String waiting = StoreValues.waitMessage("ask", "ask#0", true);
    StepRecord usual = step("r1", "ask#0", NullNode.getInstance());
    StepRecord elsewhere =
        new StepRecord(
            "r1",
            "fan#0",
            "other",
            1,
            StepStatus.COMPLETED,
            json("1"),
            null,
            T0.minusSeconds(30), // before the run's creation (a forked run's copied step)
            Duration.ZERO,
            new BudgetUsage(1, 0, 0, Double.NaN, 0, 0, Duration.ZERO));
    StepRecord infinite =
        new StepRecord(
            "r1",
            "b#0",
            "b",
            1,
            StepStatus.COMPLETED,
            json("2"),
            null,
            T0,
            Duration.ZERO,
            new BudgetUsage(1, 0, 0, Double.POSITIVE_INFINITY, 0, 0, Duration.ZERO));
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(usual, List.of());
      log.appendStep(elsewhere, List.of());
      log.appendStep(infinite, List.of());
      log.updateStatus(
          RunStatus.WAITING, FailureReason.INTERRUPTED, "ask#0", waiting, NullNode.getInstance());
    }

    // stored: the node id only where the key does not name it, the wait message as a code, JSON
    // null as SQL NULL
    assertThat(Fixtures.strings(db, "SELECT coalesce(node_id, '-') FROM steps ORDER BY seq"))
        .containsExactly("-", "other", "-");
    assertThat(Fixtures.strings(db, "SELECT typeof(message) || ' ' || message FROM runs"))
        .containsExactly("integer 1");
    assertThat(count(db, "SELECT count(*) FROM runs WHERE output IS NULL")).isEqualTo(1);
    assertThat(count(db, "SELECT count(*) FROM steps WHERE output IS NULL")).isEqualTo(1);
    // read back: every record equal to what was written
    SqliteCheckpointStore reopened = reopen();
    assertThat(reopened.steps("r1")).containsExactly(usual, elsewhere, infinite);
    RunRecord r1 = reopened.find("r1").orElseThrow();
    assertThat(r1.message()).isEqualTo(waiting);
    assertThat(r1.output()).isEqualTo(NullNode.getInstance());
  }

  @Test
  void finish_outputTheStoreCannotHold_refused_runReleasedWithItsDeferredSteps() {
    com.fasterxml.jackson.databind.node.ArrayNode deep = Fixtures.JSON.createArrayNode();
    com.fasterxml.jackson.databind.node.ArrayNode a = deep;
    for (int i = 0; i < 1_100; i++) a = a.addArray();
    RunLog log = store.create(run("r1"));
    log.appendDeferrable(step("r1", "start#0", NullNode.getInstance()));

    JsonNode output = deep;
    assertThatThrownBy(() -> log.finish(RunStatus.COMPLETED, null, null, null, output))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.steps("r1")).extracting(StepRecord::stepKey).containsExactly("start#0");
    assertThat(store.find("r1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    try (SqliteCheckpointStore other =
            SqliteCheckpointStore.open(db, Fixtures.options().ownerId("engine-b").build());
        RunLog taken = other.open("r1")) {
      assertThat(taken.steps()).hasSize(1); // released: opened at once by another owner
    }
  }

  @Test
  void roundTrip_callRecords_everyFieldReadBackByOpenedLog() {
    CallRecord inStep =
        new CallRecord(
            "r1",
            "agent#0",
            0,
            CallKind.LLM,
            "gpt-4.1-mini",
            "0f1e",
            json("{\"messages\":[\"hi\"]}"),
            json("{\"text\":\"hello\"}"),
            new BudgetUsage(0, 10, 20, 0.5, 1, 0, Duration.ofMillis(7)),
            T0.plusMillis(1),
            Duration.ofMillis(250));
    CallRecord withStep =
        new CallRecord(
            "r1",
            "agent#0",
            1,
            CallKind.TOOL,
            "http",
            "9a8b",
            json("{\"url\":\"x\"}"),
            json("{\"status\":201}"),
            new BudgetUsage(0, 0, 0, 0, 0, 1, Duration.ZERO),
            T0.plusMillis(2),
            Duration.ofMillis(9));
    try (RunLog log = store.create(run("r1"))) {
      assertThat(log.calls("agent#0")).isEmpty();
      log.appendCall(inStep);
      log.appendStep(step("r1", "agent#0", json("\"done\"")), List.of(withStep));
      log.updateStatus(
          RunStatus.WAITING, FailureReason.INTERRUPTED, "agent#0", "waits", NullNode.getInstance());
    }
    try (RunLog log = reopen().open("r1")) {
      assertThat(log.calls("agent#0")).containsExactly(inStep, withStep);
      assertThat(log.calls("other#0")).isEmpty();
      log.appendCall(call("r1", "agent#0", 2, "late"));
      assertThat(log.calls("agent#0"))
          .as("as it was when the log was opened")
          .containsExactly(inStep, withStep);
    }
  }

  @Test
  void calls_ofRun_everyStepInAppendOrderAfterReopen_emptyForUnknownRun() {
    CallRecord a0 = call("r1", "a#0", 0, "a0");
    CallRecord b0 = call("r1", "b#0", 0, "b0");
    CallRecord a1 = call("r1", "a#0", 1, "a1");
    CallRecord b1 = call("r1", "b#0", 1, "b1");
    try (RunLog log = store.create(run("r1"))) {
      log.appendCall(a0);
      log.appendCall(b0);
      log.appendCall(a1);
      log.appendStep(step("r1", "b#0", json("1")), List.of(b1));
    }
    try (RunLog log = store.create(run("r2"))) {
      log.appendCall(call("r2", "a#0", 0, "other"));
    }

    assertThat(store.calls("r1")).containsExactly(a0, b0, a1, b1);
    assertThat(reopen().calls("r1")).containsExactly(a0, b0, a1, b1);
    assertThat(store.calls("nope")).isEmpty();
  }

  @Test
  void calls_corruptResponseJson_failsNamingRunStepCallAndField() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendCall(call("r1", "a#0", 0, "ok"));
      log.appendCall(call("r1", "a#0", 1, "bad"));
    }
    exec(db, "UPDATE calls SET response = '{\"ok\": tru' WHERE name = 'bad'");
    assertThatThrownBy(() -> store.calls("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store "
                + db
                + ": run 'r1', step 'a#0', call 1 (seq 2): field 'response': "
                + "corrupt JSON (");
  }

  @Test
  void calls_kindsStoredAsTheirWireNames_readBackAsTheSameKinds() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      for (CallKind k : CallKind.values()) {
        log.appendCall(
            new CallRecord(
                "r1",
                "a#0",
                k.ordinal(),
                k,
                "n",
                "h",
                json("{}"),
                json("{}"),
                BudgetUsage.ZERO,
                T0,
                Duration.ZERO));
      }
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.ResultSet r =
            c.createStatement().executeQuery("SELECT kind FROM calls ORDER BY idx")) {
      List<String> stored = new java.util.ArrayList<>();
      while (r.next()) stored.add(r.getString(1));
      assertThat(stored).containsExactly("llm", "tool", "intent", "trace", "message", "router");
    }
    assertThat(reopen().calls("r1"))
        .extracting(CallRecord::kind)
        .containsExactly(CallKind.values());
  }

  @Test
  void calls_unknownKind_failsNamingRunStepCallAndField() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendCall(call("r1", "a#0", 0, "ok"));
    }
    exec(db, "UPDATE calls SET kind = 'telepathy'");
    assertThatThrownBy(() -> store.calls("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store "
                + db
                + ": run 'r1', step 'a#0', call 0 (seq 1): field 'kind': "
                + "unknown call kind 'telepathy'");
  }

  @Test
  void appendStep_callRecordFailsToInsert_neitherStepNorCallsCommitted() throws Exception {
    exec(
        db,
        "CREATE TRIGGER fail_boom BEFORE INSERT ON calls WHEN NEW.name = 'boom' "
            + "BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of(call("r1", "a#0", 0, "ok")));
      assertThatThrownBy(
              () ->
                  log.appendStep(
                      step("r1", "b#0", json("2")),
                      List.of(call("r1", "b#0", 0, "fine"), call("r1", "b#0", 1, "boom"))))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageStartingWith(
              "checkpoint store " + db + ": run 'r1', step 'b#0': cannot append the step: ")
          .hasMessageContaining("boom refused");
      log.appendStep(step("r1", "c#0", json("3")), List.of());
    }
    assertThat(store.steps("r1")).extracting(StepRecord::stepKey).containsExactly("a#0", "c#0");
    assertThat(count(db, "SELECT count(*) FROM calls WHERE step_key = 'b#0'")).isZero();
    assertThat(
            count(
                db,
                "SELECT max(seq) FROM steps WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'r1')"))
        .isEqualTo(2);
  }

  @Test
  void create_existingRun_refused() {
    store.create(run("r1")).close();
    assertThatThrownBy(() -> store.create(run("r1")))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store " + db + ": run 'r1' already exists (run ids must be unique)");
  }

  @Test
  void open_unknownRun_throwsRunNotFound() {
    assertThatThrownBy(() -> store.open("nope"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessage("no run 'nope' in the checkpoint store " + db);
  }

  @Test
  void open_runWithSteps_logHoldsRunAndStepsInAppendOrder() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of());
      log.appendStep(
          new StepRecord(
              "r1",
              "b#0",
              "b",
              0,
              StepStatus.SUSPENDED,
              NullNode.getInstance(),
              null,
              T0,
              Duration.ZERO,
              BudgetUsage.ZERO),
          List.of());
      log.updateStatus(
          RunStatus.WAITING, FailureReason.INTERRUPTED, "b#0", "waits", NullNode.getInstance());
    }
    try (RunLog log = store.open("r1")) {
      assertThat(log.run().status()).isEqualTo(RunStatus.WAITING);
      assertThat(log.steps())
          .extracting(StepRecord::stepKey, StepRecord::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a#0", StepStatus.COMPLETED),
              org.assertj.core.groups.Tuple.tuple("b#0", StepStatus.SUSPENDED));
    }
  }

  @Test
  void list_query_filtersByWorkflowStatusSinceNewestFirstWithLimit() {
    for (int i = 0; i < 6; i++) {
      try (RunLog log =
          store.create(run("r" + i, i % 2 == 0 ? "even" : "odd", T0.plusSeconds(i)))) {
        if (i >= 4) log.updateStatus(RunStatus.COMPLETED, null, null, null, json("{}"));
      }
    }
    assertThat(store.list(RunQuery.all()))
        .extracting(RunRecord::runId)
        .containsExactly("r5", "r4", "r3", "r2", "r1", "r0");
    assertThat(store.list(RunQuery.builder().workflowId("even").build()))
        .extracting(RunRecord::runId)
        .containsExactly("r4", "r2", "r0");
    assertThat(store.list(RunQuery.builder().status(RunStatus.COMPLETED).build()))
        .extracting(RunRecord::runId)
        .containsExactly("r5", "r4");
    assertThat(store.list(RunQuery.builder().since(T0.plusSeconds(3)).build()))
        .extracting(RunRecord::runId)
        .containsExactly("r5", "r4", "r3");
    assertThat(store.list(RunQuery.builder().workflowId("odd").limit(2).build()))
        .extracting(RunRecord::runId)
        .containsExactly("r5", "r3");
  }

  @Test
  void find_unknownRun_empty() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.steps("nope")).isEmpty();
    assertThat(store.artifacts("nope")).isEmpty();
  }

  @Test
  void appendStep_largeOutput_storedOnceAsArtifactAndReadBack() throws Exception {
    JsonNode big = Fixtures.JSON.valueToTree(Map.of("text", "x".repeat(70_000)));
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", big), List.of());
      log.appendStep(step("r1", "a#1", big), List.of());
      log.appendStep(step("r1", "small#0", json("\"small\"")), List.of());
    }
    assertThat(store.steps("r1"))
        .extracting(StepRecord::output)
        .containsExactly(big, big, json("\"small\""));
    List<ArtifactInfo> artifacts = store.artifacts("r1");
    assertThat(artifacts).hasSize(1);
    byte[] bytes = Fixtures.JSON.writeValueAsBytes(big);
    assertThat(artifacts.get(0).size()).isEqualTo(bytes.length);
    assertThat(artifacts.get(0).sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(count(db, "SELECT count(*) FROM steps WHERE output_artifact IS NOT NULL"))
        .isEqualTo(2);
  }

  @Test
  void steps_corruptOutputJson_failsNamingRunStepAndField() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of());
      log.appendStep(step("r1", "b#0", json("{\"ok\":true}")), List.of());
    }
    exec(db, "UPDATE steps SET output = '{\"ok\": tru' WHERE step_key = 'b#0'");
    assertThatThrownBy(() -> store.steps("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store "
                + db
                + ": run 'r1', step 'b#0' (seq 2): field 'output': corrupt JSON (")
        .hasMessageEndingWith(
            "(the record cannot be read back, so the run cannot be resumed from it; restore the store "
                + "from a backup)");
    assertThatThrownBy(() -> store.open("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("run 'r1', step 'b#0' (seq 2): field 'output'");
    assertThat(count(db, "SELECT count(*) FROM runs WHERE lease_owner IS NULL"))
        .as("the failed open released its lease")
        .isEqualTo(1);
  }

  @Test
  void steps_unknownRecordVersion_failsNamingRunStepAndField() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of());
    }
    exec(db, "UPDATE steps SET record_version = 7");
    assertThatThrownBy(() -> store.steps("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + db
                + ": run 'r1', step 'a#0' (seq 1): field 'record_version': unknown record "
                + "version 7 (this agentrt reads version 1; a newer agentrt wrote it) (the record cannot be read back, so "
                + "the run cannot be resumed from it; restore the store from a backup)");
  }

  @Test
  void steps_corruptUsageAndUnknownStatusCode_failNamingTheField() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of());
    }
    exec(db, "UPDATE steps SET usage = X'01'");
    assertThatThrownBy(() -> store.steps("r1"))
        .hasMessageContaining(
            "run 'r1', step 'a#0' (seq 1): field 'usage': not a usage encoding: truncated value "
                + "of field 0");
    exec(db, "UPDATE steps SET usage = NULL, status = 99");
    assertThatThrownBy(() -> store.steps("r1"))
        .hasMessageContaining(
            "run 'r1', step 'a#0' (seq 1): field 'status': unknown code 99 (a newer agentrt may "
                + "have written it)");
  }

  @Test
  void steps_artifactTampered_failsClosed() throws Exception {
    JsonNode big = Fixtures.JSON.valueToTree(Map.of("text", "y".repeat(70_000)));
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", big), List.of());
    }
    exec(db, "UPDATE artifacts SET content = CAST('{\"text\":\"z\"}' AS BLOB)");
    assertThatThrownBy(() -> store.steps("r1"))
        .hasMessageContaining(
            "run 'r1', step 'a#0' (seq 1): field 'output': artifact "
                + store.artifacts("r1").get(0).sha256()
                + " does not match its SHA-256");
  }

  @Test
  void runLog_closed_refusesAppends() {
    RunLog log = store.create(run("r1"));
    log.close();
    log.close();
    assertThatThrownBy(() -> log.appendStep(step("r1", "a#0", json("1")), List.of()))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + db
                + ": run 'r1': cannot append step 'a#0': this run log is closed");
  }

  @Test
  void appendStep_stepOfAnotherRun_rejected() {
    try (RunLog log = store.create(run("r1"))) {
      assertThatThrownBy(() -> log.appendStep(step("r2", "a#0", json("1")), List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("run 'r1': step 'a#0' belongs to run 'r2'");
    }
  }

  @Test
  void connections_walModeAndSynchronousOnWriterAndReaders() {
    assertThat(store.internals().pragmas())
        .containsEntry("writer.journal_mode", "wal")
        .containsEntry("writer.synchronous", "1")
        .containsEntry("reader.journal_mode", "wal")
        .containsEntry("reader.synchronous", "1")
        .containsEntry("writer.busy_timeout", "5000");
    store.close();
    store =
        SqliteCheckpointStore.open(db, Fixtures.options().synchronous(Synchronous.FULL).build());
    assertThat(store.internals().pragmas())
        .containsEntry("writer.synchronous", "2")
        .containsEntry("reader.synchronous", "2");
  }

  @Test
  void updatedAt_usesTheStoreClock() {
    store.close();
    Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
    store =
        SqliteCheckpointStore.open(
            db,
            Fixtures.options()
                .clock(java.time.Clock.fixed(fixed, java.time.ZoneOffset.UTC))
                .build());
    try (RunLog log = store.create(run("r1"))) {
      log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
    }
    assertThat(store.find("r1").orElseThrow().updatedAt()).isEqualTo(fixed);
  }
}
