package dev.agentrt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.SQLiteConfig;

/**
 * The floor under {@code CheckpointBenchmark.shortRunStep} on the same machine: a hand-rolled
 * checkpoint log over plain JDBC, with no engine, no encoding and no fencing, making the same
 * commits as the SQLite store for a run of {@value #STEPS} function steps (its creation; each step,
 * the first with the start step; the exit step with the final status), each a transaction that
 * SQLite commits to its WAL with {@code synchronous=normal}. Score: µs per function step, as {@code
 * shortRunStep}'s.
 *
 * <ul>
 *   <li>{@code shortRun}: those 12 commits per run;
 *   <li>{@code emptyCommit}: one commit of a one-row insert into a table of integers, the cost of a
 *       commit alone (µs per commit).
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CheckpointFloorBenchmark {
  static final int STEPS = 10;

  /** A fresh database in a temporary directory, with its statements prepared. */
  @State(Scope.Benchmark)
  public static class Db {
    Path dir;
    Connection c;
    PreparedStatement run;
    PreparedStatement step;
    PreparedStatement status;
    PreparedStatement tiny;
    long runs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("agentrt-floor-");
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setGetGeneratedKeys(false);
      c = config.createConnection("jdbc:sqlite:" + dir.resolve("floor.db"));
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE runs (run_key INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, "
                + "status INTEGER NOT NULL, created_at_ns INTEGER NOT NULL, output TEXT)");
        s.execute(
            "CREATE TABLE steps (run_key INTEGER NOT NULL, seq INTEGER NOT NULL, "
                + "step_key TEXT NOT NULL, output TEXT, started_ns INTEGER NOT NULL, "
                + "duration_ns INTEGER NOT NULL, PRIMARY KEY (run_key, seq)) WITHOUT ROWID");
        s.execute("CREATE TABLE tiny (k INTEGER PRIMARY KEY, v INTEGER)");
      }
      run = c.prepareStatement("INSERT INTO runs VALUES (?, ?, 1, ?, NULL)");
      step = c.prepareStatement("INSERT INTO steps VALUES (?, ?, ?, ?, ?, ?)");
      status = c.prepareStatement("UPDATE runs SET status = 3, output = ? WHERE run_key = ?");
      tiny = c.prepareStatement("INSERT INTO tiny (v) VALUES (?)");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      c.close();
      Workflows.deleteRecursively(dir);
    }

    void step(long key, int seq, String stepKey) throws SQLException {
      step.setLong(1, key);
      step.setInt(2, seq);
      step.setString(3, stepKey);
      step.setString(4, "null");
      step.setLong(5, System.nanoTime());
      step.setLong(6, 1_000);
      step.executeUpdate();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(STEPS)
  public long shortRun(Db db) throws SQLException {
    long key = ++db.runs;
    db.run.setLong(1, key);
    db.run.setString(2, "run-" + key);
    db.run.setLong(3, System.nanoTime());
    db.run.executeUpdate();
    db.c.setAutoCommit(false);
    db.step(key, 1, "start#0");
    db.step(key, 2, "f1#0");
    db.c.commit();
    db.c.setAutoCommit(true);
    for (int i = 2; i <= STEPS; i++) db.step(key, i + 1, "f" + i + "#0");
    db.c.setAutoCommit(false);
    db.step(key, STEPS + 2, "done#0");
    db.status.setString(1, "{\"ok\":true}");
    db.status.setLong(2, key);
    db.status.executeUpdate();
    db.c.commit();
    db.c.setAutoCommit(true);
    return key;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int emptyCommit(Db db) throws SQLException {
    db.tiny.setLong(1, db.runs++);
    return db.tiny.executeUpdate();
  }
}
