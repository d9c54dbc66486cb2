package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.count;
import static dev.agentrt.memory.Fixtures.exec;
import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static dev.agentrt.memory.Fixtures.step;
import static dev.agentrt.memory.Fixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database file: schema migrations, and files the store must refuse with a clear error. */
class SqliteCheckpointStoreFilesTest {
  @TempDir Path dir;

  @Test
  void open_freshFile_appliesMigrationsAndMarksTheFile() throws Exception {
    Path db = dir.resolve("runs.db");
    SqliteCheckpointStore.open(db).close();
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(3);
    assertThat(count(db, "PRAGMA application_id")).isEqualTo(0x61677274);
    List<String> tables = new ArrayList<>();
    try (Connection c = Fixtures.jdbc(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (r.next()) tables.add(r.getString(1));
    }
    assertThat(tables)
        .containsExactly("artifacts", "calls", "run_artifacts", "run_events", "runs", "steps");
    assertThat(count(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"))
        .isEqualTo(1);
  }

  @Test
  void open_freshFile_setsNoSystemPropertyAndWritesOnlyTheDatabaseFiles() throws Exception {
    String before = System.getProperty("org.sqlite.tmpdir");
    System.clearProperty("org.sqlite.tmpdir");
    try {
      Path db = dir.resolve("var/runs.db");
      try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
        store.create(run("r1")).close();
      }

      assertThat(System.getProperty("org.sqlite.tmpdir")).isNull();
      try (var files = Files.list(db.getParent())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .allMatch(n -> n.startsWith("runs.db"));
      }
    } finally {
      if (before != null) System.setProperty("org.sqlite.tmpdir", before);
    }
  }

  @Test
  void open_emptyFile_migratesIt() throws Exception {
    Path db = Files.createFile(dir.resolve("runs.db"));
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      store.create(run("r1")).close();
    }
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(3);
  }

  @Test
  void open_version1Store_migratesIt_andItsRunsReadBackWithoutOptions() throws Exception {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      store.create(run("r1")).close();
    }
    // the schema version 1 wrote: runs had no options column (nor the columns of version 3)
    downgradeToVersion2(db);
    exec(db, "ALTER TABLE runs DROP COLUMN options");
    exec(db, "PRAGMA user_version = 1");

    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      RunRecord r1 = store.find("r1").orElseThrow();
      assertThat(r1.labels()).isEmpty();
      assertThat(r1.budget()).isNull();
      assertThat(r1.deadline()).isNull();
    }
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(3);
  }

  @Test
  void open_version2Store_migratesIt_andItsRunsReadBackWithPriority0AndNoLineage()
      throws Exception {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      RunLog log = store.create(run("r1"));
      log.appendStep(step("r1", "a#0", json("1")), List.of());
      log.close();
    }
    downgradeToVersion2(db);
    exec(
        db,
        "INSERT INTO runs (run_id, record_version, workflow_id, manifest_hash, engine_version,"
            + " input, status, output, created_at_ns, updated_at_ns, lease_version) SELECT 'r2',"
            + " record_version, workflow_id, manifest_hash, engine_version, input, 'COMPLETED', output,"
            + " created_at_ns + 1, updated_at_ns, 0 FROM runs WHERE run_id = 'r1'");

    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      RunRecord r1 = store.find("r1").orElseThrow();
      assertThat(r1).isEqualTo(run("r1"));
      assertThat(r1.priority()).isZero();
      assertThat(r1.parentRunId()).isNull();
      assertThat(r1.forkedFromStep()).isNull();
      assertThat(store.steps("r1")).hasSize(1);
      assertThat(store.find("r2").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
      // the queue works on the migrated file, and only queued runs are in its index
      store.enqueue(
          new RunRecord(
              "q1",
              "wf",
              "h",
              "v",
              json("{}"),
              RunStatus.QUEUED,
              null,
              null,
              null,
              json("null"),
              Fixtures.T0,
              Fixtures.T0,
              Map.of(),
              null,
              null,
              4,
              "r1",
              "a#0"));
      assertThat(store.find("q1").orElseThrow().forkedFromStep()).isEqualTo("a#0");
      assertThat(
              count(db, "SELECT count(*) FROM runs INDEXED BY runs_queue WHERE status = 'QUEUED'"))
          .isEqualTo(1);
      // the queued run first, then r1, running with its lease released before the migration
      try (RunLog q1 = store.claimNext().orElseThrow();
          RunLog released = store.claimNext().orElseThrow()) {
        assertThat(q1.run().runId()).isEqualTo("q1");
        assertThat(released.run().runId()).isEqualTo("r1");
        assertThat(released.steps()).hasSize(1);
      }
    }
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(3);
    assertThat(strings(db, "SELECT sql FROM sqlite_master WHERE name = 'runs_queue'").get(0))
        .endsWith("WHERE status = 'QUEUED'");
    assertThat(strings(db, "SELECT sql FROM sqlite_master WHERE name = 'runs_running'").get(0))
        .endsWith("WHERE status = 'RUNNING'");
    assertThat(
            count(db, "SELECT count(*) FROM runs INDEXED BY runs_running WHERE status = 'RUNNING'"))
        .isEqualTo(count(db, "SELECT count(*) FROM runs NOT INDEXED WHERE status = 'RUNNING'"))
        .isEqualTo(2);
  }

  /** Turns a store of the current schema into one of version 2 (no queue, no lineage). */
  private static void downgradeToVersion2(Path db) throws Exception {
    exec(db, "DROP INDEX runs_queue");
    exec(db, "DROP INDEX runs_running");
    for (String column : List.of("priority", "parent_run_id", "forked_from_step"))
      exec(db, "ALTER TABLE runs DROP COLUMN " + column);
    exec(db, "PRAGMA user_version = 2");
  }

  @Test
  void open_existingStore_keepsItsRuns() {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      store.create(run("r1")).close();
    }
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThat(store.find("r1")).isPresent();
    }
  }

  @Test
  void open_newerSchemaVersion_refusedAndFileUnchanged() throws Exception {
    Path db = dir.resolve("runs.db");
    SqliteCheckpointStore.open(db).close();
    exec(db, "PRAGMA user_version = 4");
    byte[] before = Files.readAllBytes(db);
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + db
                + ": schema version 4 is newer than this agentrt supports (3); it was "
                + "written by a newer agentrt and was not changed (upgrade agentrt, or set checkpoint.path to another file)");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(4);
  }

  @Test
  void open_sqliteDatabaseOfAnotherApplication_refused() throws Exception {
    Path db = dir.resolve("other.db");
    exec(db, "CREATE TABLE customers (id INTEGER)");
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + db
                + ": is an SQLite database but not an agentrt checkpoint store "
                + "(application_id 0, user_version 0); it was not changed (set checkpoint.path to another file)");
  }

  @Test
  void open_garbageFile_clearError() throws Exception {
    Path db = dir.resolve("runs.db");
    Files.writeString(
        db,
        "this is not a database, just some text that someone saved here by mistake\n".repeat(20));
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store "
                + db
                + ": cannot open the database: the file is not an SQLite "
                + "database (")
        .hasMessageEndingWith(
            ") (move it aside to start a new store, or set checkpoint.path to another file)");
  }

  @Test
  void open_truncatedFile_clearError() throws Exception {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db);
        RunLog log = store.create(run("r1"))) {
      for (int i = 0; i < 300; i++)
        log.appendStep(step("r1", "s#" + i, json("\"" + "x".repeat(1000) + "\"")), List.of());
    }
    assertThat(db.resolveSibling("runs.db-wal")).doesNotExist();
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageStartingWith(
            "checkpoint store "
                + db
                + ": cannot open the database: the database file is corrupt or "
                + "truncated (")
        .hasMessageEndingWith(
            ") (restore it from a backup, or move it aside to start a new store)");
  }

  @Test
  void open_pathIsADirectory_clearError() throws Exception {
    Path db = Files.createDirectories(dir.resolve("runs.db"));
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage("checkpoint store " + db + ": is a directory (set checkpoint.path to a file)");
  }

  @Test
  void open_readOnlyDirectory_clearError() throws Exception {
    Path ro = Files.createDirectories(dir.resolve("ro"));
    Path db = ro.resolve("runs.db");
    boolean immutable = makeReadOnly(ro);
    try {
      assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageStartingWith(
              "checkpoint store "
                  + db
                  + ": cannot open the database: cannot create or open the "
                  + "database file (")
          .hasMessageEndingWith(
              ") (check that " + ro + " exists and this process may write to it)");
      assertThatThrownBy(() -> SqliteCheckpointStore.open(ro.resolve("sub/runs.db")))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageStartingWith(
              "checkpoint store "
                  + ro.resolve("sub/runs.db")
                  + ": cannot create directory "
                  + ro.resolve("sub")
                  + " (")
          .hasMessageEndingWith(
              ") (check that this process may write there, or set checkpoint.path to another file)");
    } finally {
      undoReadOnly(ro, immutable);
    }
  }

  /**
   * Makes {@code d} read-only, with chattr +i when permissions do not bind (root); false if not
   * possible.
   */
  private static boolean makeReadOnly(Path d) throws IOException, InterruptedException {
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (!canWrite(d)) return false;
    Process p = new ProcessBuilder("chattr", "+i", d.toString()).redirectErrorStream(true).start();
    boolean done = p.waitFor() == 0;
    assumeThat(done && !canWrite(d))
        .as("a read-only directory can be made here (chattr +i as root)")
        .isTrue();
    return true;
  }

  private static void undoReadOnly(Path d, boolean immutable)
      throws IOException, InterruptedException {
    if (immutable) new ProcessBuilder("chattr", "-i", d.toString()).start().waitFor();
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static boolean canWrite(Path d) {
    try {
      Files.delete(Files.createTempFile(d, "probe", ""));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void appendStep_diskFull_clearErrorAndStepAbsent() throws Exception {
    Path db = dir.resolve("runs.db");
    SqliteCheckpointStore.open(db).close();
    long pages = count(db, "PRAGMA page_count");
    try (SqliteCheckpointStore store =
            SqliteCheckpointStore.open(
                db, Fixtures.options().maxPageCount((int) pages + 12).build());
        RunLog log = store.create(run("r1"))) {
      CheckpointStoreException full = null;
      int appended = 0;
      for (int i = 0; i < 200 && full == null; i++) {
        try {
          log.appendStep(
              step("r1", "s#" + i, Fixtures.JSON.valueToTree(Map.of("text", "z".repeat(3000)))),
              List.of(Fixtures.call("r1", "s#" + i, 0, "tool")));
          appended++;
        } catch (CheckpointStoreException e) {
          full = e;
        }
      }
      assertThat(full).isNotNull();
      assertThat(full.getMessage())
          .startsWith(
              "checkpoint store "
                  + db
                  + ": run 'r1', step 's#"
                  + appended
                  + "': cannot append the step: the "
                  + "disk, or the store's size limit, is full (")
          .endsWith(
              ") (free disk space, or delete old runs with SqliteCheckpointStore.deleteRunsOlderThan)");
      assertThat(appended).isPositive();
      assertThat(store.steps("r1"))
          .hasSize(appended)
          .extracting(StepRecord::stepKey)
          .last()
          .isEqualTo("s#" + (appended - 1));
      assertThat(count(db, "SELECT count(*) FROM calls")).isEqualTo(appended);
    }
  }
}
