package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Bytes on disk per run suspended after 5 steps in the SQLite store ({@code start -> f1..f4 -> ask
 * (interrupt: before)}): N runs (default 10,000), then the database's pages (after a WAL
 * checkpoint) minus those of the same database before them, per run. The step outputs are small
 * (the function returns {@code {"ok": true}}), so this is the store's fixed cost per run.
 *
 * <pre>
 * java -cp agent-bench/target/benchmarks.jar dev.agentrt.bench.WaitingRunsDiskMain [N]
 * </pre>
 */
public final class WaitingRunsDiskMain {
  private WaitingRunsDiskMain() {}

  public static void main(String[] args) throws SQLException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Workflows.newConfigDir();
    Path db = dir.resolve("var/runs.db");
    Workflows.write(dir, "wait", Workflows.chainThenWait("wait", 4, "noop"));
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(SqliteCheckpointStore.open(db))
            .build()) {
      start(rt, 100); // the schema's own pages and a first few runs
      long before = bytes(db);
      start(rt, n);
      long after = bytes(db);
      System.out.printf(
          Locale.ROOT,
          "%d runs waiting after 5 steps: %,d -> %,d bytes on disk: %.0f bytes/run%n",
          n,
          before,
          after,
          (after - before) / (double) n);
    } finally {
      Workflows.deleteRecursively(dir);
    }
  }

  private static void start(AgentRuntime rt, int n) {
    for (int i = 0; i < n; i++) {
      RunResult r = rt.run("wait", null);
      if (r.status() != RunStatus.WAITING || r.steps().size() != 5)
        throw new IllegalStateException("unexpected run: " + r.status() + " " + r.steps().size());
    }
  }

  /** The database's size in pages, after moving the WAL's pages into it. */
  private static long bytes(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      try (ResultSet r =
          s.executeQuery(
              "SELECT page_count * page_size - freelist_count * page_size"
                  + " FROM pragma_page_count, pragma_page_size, pragma_freelist_count")) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
