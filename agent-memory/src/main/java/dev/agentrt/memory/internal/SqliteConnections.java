package dev.agentrt.memory.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * How agent-memory opens SQLite connections, for the checkpoint store and the memory backend alike:
 * every connection gets WAL, the {@code synchronous} mode (xerial's default is {@code FULL} and the
 * pragma is per connection), a busy timeout and temporary tables in memory. Opening a connection
 * changes no system property: sqlite-jdbc extracts its native library, once per JVM, where the
 * application says ({@code -Dorg.sqlite.tmpdir}), else into {@code java.io.tmpdir}.
 */
public final class SqliteConnections {
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

  /** A connection to {@code file} with {@link #pragmas}. */
  public static Connection open(Path file, boolean fullSync, Duration busyTimeout)
      throws SQLException {
    return pragmas(fullSync, busyTimeout).createConnection("jdbc:sqlite:" + file);
  }
}
