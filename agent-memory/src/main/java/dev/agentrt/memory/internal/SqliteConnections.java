package dev.agentrt.memory.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * How agent-memory opens SQLite connections, for the checkpoint store and the memory backend alike:
 * every connection gets WAL, the {@code synchronous} mode (xerial's default is {@code FULL} and the
 * pragma is per connection) and a busy timeout; the native library is extracted next to the
 * database once per JVM.
 */
public final class SqliteConnections {
  private static final Logger log = LoggerFactory.getLogger(SqliteConnections.class);
  private static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

  private SqliteConnections() {}

  /** The pragmas of every connection: WAL, {@code synchronous}, busy timeout, temp store. */
  public static SQLiteConfig pragmas(boolean fullSync, Duration busyTimeout) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    c.setSynchronous(
        fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    c.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    c.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // else sqlite-jdbc runs "SELECT last_insert_rowid()" in a new statement after every INSERT
    c.setGetGeneratedKeys(false);
    return c;
  }

  /** A connection to {@code file} with {@link #pragmas}, after {@link #nativeLibraryDir}. */
  public static Connection open(Path file, boolean fullSync, Duration busyTimeout)
      throws SQLException {
    nativeLibraryDir(file.toAbsolutePath().getParent());
    return pragmas(fullSync, busyTimeout).createConnection("jdbc:sqlite:" + file);
  }

  /**
   * The pitfall of sqlite-jdbc: its native library is extracted once per JVM into a temp dir; put
   * it under {@code dir/.sqlite-native} unless {@code org.sqlite.tmpdir} is set.
   */
  public static synchronized void nativeLibraryDir(@Nullable Path dir) {
    if (dir == null || System.getProperty(TMPDIR_PROPERTY) != null) return;
    Path target = dir.resolve(".sqlite-native");
    try {
      Files.createDirectories(target);
      System.setProperty(TMPDIR_PROPERTY, target.toString());
    } catch (IOException e) {
      log.debug(
          "cannot create {}; sqlite-jdbc extracts its native library to java.io.tmpdir", target, e);
    }
  }
}
