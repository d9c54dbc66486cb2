package dev.agentrt.memory.internal;

import dev.agentrt.core.CheckpointStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens connections to one database file with the store's pragmas (every connection: WAL, {@code
 * synchronous}, busy timeout), checks and migrates its schema, and turns SQLite errors into {@link
 * CheckpointStoreException}s that name the file and say what to do.
 */
final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final StoreConfig config;
  private final String url;

  Database(StoreConfig config) {
    this.config = config;
    this.url = "jdbc:sqlite:" + config.path();
  }

  Path path() {
    return config.path();
  }

  /**
   * Creates the parent directories, then checks an existing file before anything is written to it:
   * it must be an agentrt store whose schema this code knows.
   */
  void prepare() {
    Path path = config.path();
    Path dir = path.getParent();
    try {
      if (dir != null) Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + path
              + ": cannot create directory "
              + dir
              + " ("
              + e
              + ") (check that this process may write there, or set checkpoint.path to another file)",
          e);
    }
    if (Files.isDirectory(path)) {
      throw new CheckpointStoreException(
          "checkpoint store " + path + ": is a directory (set checkpoint.path to a file)");
    }
    if (!Files.exists(path)) return;
    SQLiteConfig probe = new SQLiteConfig();
    probe.setBusyTimeout((int) config.busyTimeout().toMillis());
    probe.setSynchronous(synchronousMode());
    try (Connection c = probe.createConnection(url)) {
      checkSchema(c);
    } catch (SQLException e) {
      throw failure(path, null, "cannot open the database", e);
    }
  }

  private SQLiteConfig.SynchronousMode synchronousMode() {
    return config.fullSync()
        ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL;
  }

  private SQLiteConfig base() {
    return SqliteConnections.pragmas(config.fullSync(), config.busyTimeout());
  }

  /** The single writer's connection: autocommit; transactions are begun explicitly. */
  Connection openWriter() {
    SQLiteConfig c = base();
    if (config.maxPageCount() > 0) c.setMaxPageCount(config.maxPageCount());
    try {
      Connection w = c.createConnection(url);
      try (Statement s = w.createStatement()) {
        // checkpoints run on Checkpointer's thread; SQLite's own only if that falls far behind
        s.execute("PRAGMA wal_autocheckpoint = " + Checkpointer.BACKSTOP_PAGES);
      } catch (SQLException e) {
        closeQuietly(List.of(w));
        throw e;
      }
      return w;
    } catch (SQLException e) {
      throw failure(config.path(), null, "cannot open the database", e);
    }
  }

  /** A reader's connection. */
  Connection openReader() {
    try {
      return base().createConnection(url);
    } catch (SQLException e) {
      throw failure(config.path(), null, "cannot open the database", e);
    }
  }

  /** Applies the missing migrations in one transaction on the writer's connection. */
  void migrate(Connection writer) {
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        int from = checkSchema(writer);
        for (int v = from + 1; v <= Schema.LATEST; v++) {
          for (String sql : Schema.MIGRATIONS.get(v - 1)) s.execute(sql);
        }
        if (from < Schema.LATEST) {
          s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
          s.execute("PRAGMA user_version = " + Schema.LATEST);
          log.info(
              "checkpoint store {}: schema migrated from version {} to {}",
              config.path(),
              from,
              Schema.LATEST);
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollback(s);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(config.path(), null, "cannot migrate the schema", e);
    }
  }

  private static void rollback(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction left to roll back
    }
  }

  /** The database's schema version, after refusing one this code must not touch. */
  private int checkSchema(Connection c) throws SQLException {
    Path path = config.path();
    int version = intPragma(c, "user_version");
    int appId = intPragma(c, "application_id");
    if (appId != Schema.APPLICATION_ID) {
      boolean empty;
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
        empty = r.next() && r.getInt(1) == 0;
      }
      if (appId != 0 || version != 0 || !empty) {
        throw new CheckpointStoreException(
            "checkpoint store "
                + path
                + ": is an SQLite database but not an agentrt "
                + "checkpoint store (application_id "
                + appId
                + ", user_version "
                + version
                + "); it was not changed "
                + "(set checkpoint.path to another file)");
      }
    }
    if (version > Schema.LATEST) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + path
              + ": schema version "
              + version
              + " is newer than this agentrt supports ("
              + Schema.LATEST
              + "); it was written by a newer agentrt and was "
              + "not changed (upgrade agentrt, or set checkpoint.path to another file)");
    }
    return version;
  }

  private static int intPragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA " + name)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /**
   * A {@link CheckpointStoreException} for an SQLite error: {@code checkpoint store PATH: [run 'r',
   * step 'k': ]WHAT: PROBLEM (CODE: detail) (FIX)}.
   */
  static CheckpointStoreException failure(
      Path path, @org.jspecify.annotations.Nullable String subject, String what, SQLException e) {
    String problem;
    String fix;
    String code = "";
    int primary = -1;
    if (e instanceof SQLiteException se) {
      SQLiteErrorCode rc = se.getResultCode();
      code = rc.name();
      primary = rc.code & 0xff;
    }
    switch (primary) {
      case 26: // SQLITE_NOTADB
        problem = "the file is not an SQLite database";
        fix = "move it aside to start a new store, or set checkpoint.path to another file";
        break;
      case 11: // SQLITE_CORRUPT
        problem = "the database file is corrupt or truncated";
        fix = "restore it from a backup, or move it aside to start a new store";
        break;
      case 14: // SQLITE_CANTOPEN
        problem = "cannot create or open the database file";
        fix = "check that " + path.getParent() + " exists and this process may write to it";
        break;
      case 8: // SQLITE_READONLY
      case 3: // SQLITE_PERM
      case 23: // SQLITE_AUTH
        problem = "the database file is read-only to this process";
        fix = "check the permissions of " + path + " and its directory";
        break;
      case 13: // SQLITE_FULL
        problem = "the disk, or the store's size limit, is full";
        fix = "free disk space, or delete old runs with SqliteCheckpointStore.deleteRunsOlderThan";
        break;
      case 5: // SQLITE_BUSY
      case 6: // SQLITE_LOCKED
        problem = "another process held the database's write lock for longer than the busy timeout";
        fix = "find the process writing to this file, or raise busyTimeout";
        break;
      case 10: // SQLITE_IOERR
        problem = "an I/O error occurred";
        fix = "check the disk and the file system";
        break;
      default:
        problem = "SQLite failed";
        fix = "see the cause";
        break;
    }
    String detail = e.getMessage() == null ? code : e.getMessage();
    return new CheckpointStoreException(
        "checkpoint store "
            + path
            + ": "
            + (subject == null ? "" : subject + ": ")
            + what
            + ": "
            + problem
            + " ("
            + detail
            + ") ("
            + fix
            + ")",
        e);
  }

  static void closeQuietly(List<? extends AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.debug("closing {} failed", r, e);
      }
    }
  }
}
