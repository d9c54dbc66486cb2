package dev.agentrt.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.core.spi.StoreValues;
import dev.agentrt.memory.ArtifactInfo;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases written by earlier versions of the schema are migrated to the latest on open, and every
 * value of their runs, steps, calls, artifacts and lease history reads back as it was written. The
 * old databases are built from the old migrations themselves ({@link Schema#MIGRATIONS}, which are
 * never edited) and filled with rows in their layout, as the store of that version wrote them.
 */
class SchemaMigrationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

  @TempDir Path dir;

  /** An empty database at schema {@code version}, as that version of the store left it. */
  private static Path database(Path db, int version) throws SQLException {
    try (Connection c = jdbc(db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      for (List<String> migration : Schema.MIGRATIONS.subList(0, version))
        for (String sql : migration) s.execute(sql);
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute("PRAGMA user_version = " + version);
    }
    return db;
  }

  private static Connection jdbc(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }

  private static void exec(Path db, String sql, Object... args) throws SQLException {
    try (Connection c = jdbc(db);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      ps.executeUpdate();
    }
  }

  private static List<String> strings(Path db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = jdbc(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) out.add(r.getString(1));
    }
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static long ns(Instant t) {
    return StoreValues.nanos(t);
  }

  @Test
  void version3_everyValueReadsBackAfterTheMigrationTo4_andTheStoreWorksOnIt() throws Exception {
    Path db = database(dir.resolve("runs.db"), 3);
    String wait = StoreValues.waitMessage("ask", "ask#0", true);
    String big = "{\"text\":\"" + "x".repeat(70_000) + "\"}";
    String sha = Codec.sha256(big.getBytes(StandardCharsets.UTF_8));
    // r1: waiting at 'ask' after a step with an LLM call whose response is an artifact, taken over
    // once (lease 2, released); labels in its options
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, reason, step_key, message, output, created_at_ns, updated_at_ns, "
            + "lease_owner, lease_version, lease_acquired_ms, lease_expires_ms, options, priority)"
            + " VALUES ('r1', 1, 'wf', 'h1', '0.1.0', '{\"q\":1}', 'WAITING', 'INTERRUPTED', "
            + "'ask#0', ?, 'null', ?, ?, NULL, 2, 1000, NULL, '{\"labels\":{\"team\":\"a\"}}', 0)",
        wait,
        ns(T0),
        ns(T0.plusSeconds(9)));
    exec(
        db,
        "INSERT INTO steps VALUES ('r1', 1, 1, 'start#0', 'start', 1, 'COMPLETED', 'null', NULL, "
            + "NULL, ?, 1000, '{\"hops\":1,\"elapsed_ns\":5}')",
        ns(T0.plusMillis(1)));
    exec(
        db,
        "INSERT INTO steps VALUES ('r1', 2, 1, 'sub#0/chat#0', 'chat', 2, 'COMPLETED', '\"hi\"', "
            + "NULL, NULL, ?, 2000, '{\"hops\":1,\"input_tokens\":7,\"output_tokens\":3,"
            + "\"cost_usd\":0.25,\"llm_calls\":1,\"elapsed_ns\":9}')",
        ns(T0.plusMillis(2)));
    exec(
        db,
        "INSERT INTO steps VALUES ('r1', 3, 1, 'ask#0', 'ask', 0, 'SUSPENDED', 'null', NULL, "
            + "NULL, ?, 0, '{}')",
        ns(T0.plusMillis(3)));
    exec(
        db,
        "INSERT INTO calls VALUES ('r1', 1, 1, 'sub#0/chat#0', 0, 'llm', 'gpt', 'req-hash', "
            + "'{\"prompt\":\"p\"}', NULL, NULL, ?, '{\"input_tokens\":7,\"output_tokens\":3,"
            + "\"cost_usd\":0.25,\"llm_calls\":1}', ?, 500)",
        sha,
        ns(T0.plusMillis(2)));
    exec(
        db,
        "INSERT INTO artifacts VALUES (?, ?, ?, ?)",
        sha,
        big.length(),
        big.getBytes(StandardCharsets.UTF_8),
        ns(T0));
    exec(db, "INSERT INTO run_artifacts VALUES ('r1', ?)", sha);
    exec(
        db,
        "INSERT INTO run_events (run_id, at_ms, event, owner, lease_version, previous_owner, "
            + "previous_version) VALUES ('r1', 1000, 'takeover', 'engine-b', 2, 'engine-a', 1), "
            + "('r1', 2000, 'released', 'engine-b', 2, NULL, NULL)");
    // r2: completed, another manifest; q1: queued with priority 4, forked from r1
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, output, created_at_ns, updated_at_ns, lease_version) VALUES "
            + "('r2', 1, 'wf', 'h2', '0.1.0', '{}', 'COMPLETED', '[1]', ?, ?, 1)",
        ns(T0.plusSeconds(1)),
        ns(T0.plusSeconds(2)));
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, output, created_at_ns, updated_at_ns, lease_version, priority, "
            + "parent_run_id, forked_from_step) VALUES ('q1', 1, 'other', 'h3', '0.1.0', 'null', "
            + "'QUEUED', 'null', ?, ?, 0, 4, 'r1', 'start#0')",
        ns(T0.plusSeconds(3)),
        ns(T0.plusSeconds(3)));

    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThat(store.find("r1").orElseThrow())
          .isEqualTo(
              new RunRecord(
                  "r1",
                  "wf",
                  "h1",
                  "0.1.0",
                  json("{\"q\":1}"),
                  RunStatus.WAITING,
                  FailureReason.INTERRUPTED,
                  "ask#0",
                  wait,
                  NullNode.getInstance(),
                  T0,
                  T0.plusSeconds(9),
                  Map.of("team", "a"),
                  null,
                  null,
                  0,
                  null,
                  null));
      assertThat(store.steps("r1"))
          .containsExactly(
              new StepRecord(
                  "r1",
                  "start#0",
                  "start",
                  1,
                  StepStatus.COMPLETED,
                  NullNode.getInstance(),
                  null,
                  T0.plusMillis(1),
                  Duration.ofNanos(1000),
                  new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ofNanos(5))),
              new StepRecord(
                  "r1",
                  "sub#0/chat#0",
                  "chat",
                  2,
                  StepStatus.COMPLETED,
                  json("\"hi\""),
                  null,
                  T0.plusMillis(2),
                  Duration.ofNanos(2000),
                  new BudgetUsage(1, 7, 3, 0.25, 1, 0, Duration.ofNanos(9))),
              new StepRecord(
                  "r1",
                  "ask#0",
                  "ask",
                  0,
                  StepStatus.SUSPENDED,
                  NullNode.getInstance(),
                  null,
                  T0.plusMillis(3),
                  Duration.ZERO,
                  BudgetUsage.ZERO));
      assertThat(store.calls("r1"))
          .containsExactly(
              new CallRecord(
                  "r1",
                  "sub#0/chat#0",
                  0,
                  CallKind.LLM,
                  "gpt",
                  "req-hash",
                  json("{\"prompt\":\"p\"}"),
                  json(big),
                  new BudgetUsage(0, 7, 3, 0.25, 1, 0, Duration.ZERO),
                  T0.plusMillis(2),
                  Duration.ofNanos(500)));
      assertThat(store.artifacts("r1")).extracting(ArtifactInfo::sha256).containsExactly(sha);
      assertThat(store.find("r2").orElseThrow().output()).isEqualTo(json("[1]"));
      RunRecord q1 = store.find("q1").orElseThrow();
      assertThat(q1.status()).isEqualTo(RunStatus.QUEUED);
      assertThat(q1.priority()).isEqualTo(4);
      assertThat(q1.parentRunId()).isEqualTo("r1");
      assertThat(q1.forkedFromStep()).isEqualTo("start#0");
      assertThat(store.summaries(RunQuery.all()).runs())
          .extracting(RunSummary::runId)
          .containsExactly("q1", "r2", "r1");
      assertThat(store.list(RunQuery.builder().workflowId("wf").build()))
          .extracting(RunRecord::runId)
          .containsExactly("r2", "r1");
      assertThat(store.list(RunQuery.builder().status(RunStatus.WAITING).build()))
          .extracting(RunRecord::runId)
          .containsExactly("r1");

      // the store works on the migrated file: the queue, a resume with the lease history, appends
      try (RunLog claimed = store.claimNext().orElseThrow()) {
        assertThat(claimed.run().runId()).isEqualTo("q1");
      }
      try (RunLog r1 = store.open("r1")) {
        assertThat(r1.steps()).hasSize(3);
        assertThat(r1.calls("sub#0/chat#0")).hasSize(1);
        r1.appendStep(
            new StepRecord(
                "r1",
                "ask#0",
                "ask",
                1,
                StepStatus.COMPLETED,
                json("{\"ok\":true}"),
                null,
                T0.plusSeconds(20),
                Duration.ofMillis(1),
                new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ofSeconds(1))),
            List.of());
      }
      assertThat(store.steps("r1")).hasSize(4);
    }
    assertThat(strings(db, "PRAGMA user_version")).containsExactly(String.valueOf(Schema.LATEST));
    assertThat(
            strings(
                db,
                "SELECT event || ' ' || owner || ' ' || lease_version FROM run_events "
                    + "WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'r1') ORDER BY id"))
        .containsExactly(
            "takeover engine-b 2",
            "released engine-b 2",
            "acquired "
                + strings(db, "SELECT owner FROM run_events ORDER BY id DESC LIMIT 1").get(0)
                + " 3",
            "released "
                + strings(db, "SELECT owner FROM run_events ORDER BY id DESC LIMIT 1").get(0)
                + " 3");
    // the queue's partial indexes hold the runs of their status, by its code (q1 was claimed)
    assertThat(
            strings(
                db,
                "SELECT count(*) FROM runs INDEXED BY runs_running WHERE status = "
                    + Codes.RUN_STATUS.of(RunStatus.RUNNING)))
        .containsExactly("1");
    assertThat(
            strings(
                db,
                "SELECT count(*) FROM runs INDEXED BY runs_queue WHERE status = "
                    + Codes.RUN_STATUS.of(RunStatus.QUEUED)))
        .containsExactly("0");
    // each manifest once; the old tables are gone
    assertThat(strings(db, "SELECT workflow_id || ' ' || manifest_hash FROM manifests"))
        .containsExactly("wf h1", "wf h2", "other h3");
    assertThat(strings(db, "SELECT name FROM sqlite_master WHERE name LIKE '%\\_4' ESCAPE '\\'"))
        .isEmpty();
  }

  @Test
  void version1_runReadsBackWithoutOptionsAndWithTheDefaultsOfLaterVersions() throws Exception {
    Path db = database(dir.resolve("runs.db"), 1);
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, reason, step_key, message, output, created_at_ns, updated_at_ns, "
            + "lease_version) VALUES ('r1', 1, 'wf', 'h', 'v', '{}', 'FAILED', 'NODE_FAILED', "
            + "'a#0', 'boom', 'null', ?, ?, 1)",
        ns(T0),
        ns(T0));

    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      RunRecord r1 = store.find("r1").orElseThrow();
      assertThat(r1.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r1.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r1.message()).isEqualTo("boom");
      assertThat(r1.labels()).isEmpty();
      assertThat(r1.budget()).isNull();
      assertThat(r1.priority()).isZero();
      assertThat(r1.parentRunId()).isNull();
    }
    assertThat(strings(db, "PRAGMA user_version")).containsExactly(String.valueOf(Schema.LATEST));
  }

  @Test
  void migration_failing_leavesTheDatabaseAtItsVersion_andUntouched() throws Exception {
    Path db = database(dir.resolve("runs.db"), 3);
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, output, created_at_ns, updated_at_ns, lease_version) VALUES "
            + "('r1', 1, 'wf', 'h', 'v', '{}', 'COMPLETED', 'null', 1, 1, 1)");
    // a table of the new schema's name, added by hand: the migration cannot create its own
    exec(db, "CREATE TABLE manifests (x INTEGER)");

    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .hasMessageContaining("cannot migrate the schema")
        .hasMessageContaining("table manifests already exists");
    assertThat(strings(db, "PRAGMA user_version")).containsExactly("3");
    assertThat(strings(db, "SELECT status FROM runs")).containsExactly("COMPLETED");
    assertThat(strings(db, "SELECT name FROM sqlite_master WHERE name LIKE '%\\_4' ESCAPE '\\'"))
        .isEmpty();
  }

  @Test
  void version3_corruptUsageJson_migrates_andItsReadFailsNamingTheField() throws Exception {
    Path db = database(dir.resolve("runs.db"), 3);
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version, "
            + "input, status, output, created_at_ns, updated_at_ns, lease_version) VALUES "
            + "('r1', 1, 'wf', 'h', 'v', '{}', 'COMPLETED', 'null', 1, 1, 1)");
    exec(
        db,
        "INSERT INTO steps VALUES ('r1', 1, 1, 'a#0', 'a', 1, 'COMPLETED', 'null', NULL, NULL, 1,"
            + " 1, '{\"hops\": \"one\"}')");

    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThatThrownBy(() -> store.steps("r1"))
          .hasMessageContaining(
              "run 'r1', step 'a#0' (seq 1): field 'usage.hops': not an integer: \"one\"");
    }
  }
}
