package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.count;
import static dev.agentrt.memory.Fixtures.exec;
import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static dev.agentrt.memory.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.RunLog;
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
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(4);
    assertThat(count(db, "PRAGMA application_id")).isEqualTo(0x61677274);
    List<String> tables = new ArrayList<>();
    try (Connection c = Fixtures.jdbc(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (r.next()) tables.add(r.getString(1));
    }
    assertThat(tables)
        .containsExactly(
            "artifacts", "calls", "manifests", "run_artifacts", "run_events", "runs", "steps");
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
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(4);
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
    exec(db, "PRAGMA user_version = 5");
    byte[] before = Files.readAllBytes(db);
    assertThatThrownBy(() -> SqliteCheckpointStore.open(db))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + db
                + ": schema version 5 is newer than this agentrt supports (4); it was "
                + "written by a newer agentrt and was not changed (upgrade agentrt, or set checkpoint.path to another file)");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    assertThat(count(db, "PRAGMA user_version")).isEqualTo(5);
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
