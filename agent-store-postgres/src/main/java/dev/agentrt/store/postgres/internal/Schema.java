package dev.agentrt.store.postgres.internal;

import dev.agentrt.core.CheckpointStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema as a list of migrations; migration {@code n} (1-based) takes a database from
 * version {@code n - 1} to {@code n}, and {@code agentrt_schema_version} holds one row per applied
 * migration. Migrations run in one transaction under an advisory lock, so engines starting together
 * on a new database migrate it once. Append new migrations, never edit one.
 *
 * <p>Every table is named {@code agentrt_*} and lives in the connection's current schema ({@code
 * search_path}). Values are JSON text, exactly as written (key order kept); timestamps are
 * nanoseconds since the epoch, lease times milliseconds of the engines' clocks.
 */
final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  /** The key of the advisory lock migrations hold: "agrt". */
  static final long LOCK_KEY = 0x61677274L;

  /** The version of the rows this code writes ({@code record_version} columns). */
  static final int RECORD_VERSION = 1;

  static final List<List<String>> MIGRATIONS =
      List.of(
          // 1: runs with their lease and queue place, the step log, in-step calls, lease history
          List.of(
              """
              CREATE TABLE agentrt_runs (
                run_id            text    NOT NULL PRIMARY KEY,
                seq               bigint  GENERATED ALWAYS AS IDENTITY,
                record_version    integer NOT NULL,
                workflow_id       text    NOT NULL,
                manifest_hash     text    NOT NULL,
                engine_version    text    NOT NULL,
                input             text    NOT NULL,
                status            text    NOT NULL,
                reason            text,
                step_key          text,
                message           text,
                output            text    NOT NULL,
                created_at_ns     bigint  NOT NULL,
                updated_at_ns     bigint  NOT NULL,
                options           jsonb,
                priority          integer NOT NULL DEFAULT 0,
                parent_run_id     text,
                forked_from_step  text,
                lease_owner       text,
                lease_version     bigint  NOT NULL,
                lease_acquired_ms bigint,
                lease_expires_ms  bigint
              )""",
              "CREATE INDEX agentrt_runs_by_created ON agentrt_runs (created_at_ns DESC, run_id DESC)",
              "CREATE INDEX agentrt_runs_by_workflow ON agentrt_runs (workflow_id, created_at_ns)",
              "CREATE INDEX agentrt_runs_queued ON agentrt_runs (priority DESC, created_at_ns, seq)"
                  + " WHERE status = 'QUEUED'",
              "CREATE INDEX agentrt_runs_running ON agentrt_runs (lease_expires_ms)"
                  + " WHERE status = 'RUNNING'",
              """
              CREATE TABLE agentrt_steps (
                run_id          text    NOT NULL,
                seq             bigint  GENERATED ALWAYS AS IDENTITY,
                record_version  integer NOT NULL,
                step_key        text    NOT NULL,
                node_id         text    NOT NULL,
                attempts        integer NOT NULL,
                status          text    NOT NULL,
                output          text    NOT NULL,
                error           text,
                started_at_ns   bigint  NOT NULL,
                duration_ns     bigint  NOT NULL,
                usage           text    NOT NULL,
                PRIMARY KEY (run_id, seq)
              )""",
              """
              CREATE TABLE agentrt_calls (
                run_id         text    NOT NULL,
                seq            bigint  GENERATED ALWAYS AS IDENTITY,
                record_version integer NOT NULL,
                step_key       text    NOT NULL,
                idx            integer NOT NULL,
                kind           text    NOT NULL,
                name           text    NOT NULL,
                request_hash   text    NOT NULL,
                request        text    NOT NULL,
                response       text    NOT NULL,
                usage          text    NOT NULL,
                started_at_ns  bigint  NOT NULL,
                duration_ns    bigint  NOT NULL,
                PRIMARY KEY (run_id, seq)
              )""",
              "CREATE INDEX agentrt_calls_by_step ON agentrt_calls (run_id, step_key, seq)",
              """
              CREATE TABLE agentrt_run_events (
                id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id           text    NOT NULL,
                at_ms            bigint  NOT NULL,
                event            text    NOT NULL,
                owner            text,
                lease_version    bigint,
                previous_owner   text,
                previous_version bigint
              )""",
              "CREATE INDEX agentrt_run_events_by_run ON agentrt_run_events (run_id, id)"));

  /** The schema version this code reads and writes. */
  static final int LATEST = MIGRATIONS.size();

  private Schema() {}

  /**
   * Brings the database to {@link #LATEST} in one transaction under the advisory lock; refuses a
   * database of a newer version, leaving it untouched.
   *
   * @throws CheckpointStoreException if the database's schema is newer than this code's
   */
  static void migrate(Db db, long nowMs) {
    db.tx(
        null,
        "cannot prepare the database schema",
        c -> {
          try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
          }
          int current = current(c);
          if (current > LATEST) {
            throw new CheckpointStoreException(
                "checkpoint store "
                    + db.name()
                    + ": the database has schema version "
                    + current
                    + ", newer than this agentrt reads (version "
                    + LATEST
                    + "); a newer agentrt wrote it: upgrade agentrt, or give another database (the"
                    + " database was left unchanged)");
          }
          if (current == LATEST) return null;
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS agentrt_schema_version (version integer NOT NULL"
                    + " PRIMARY KEY, applied_at_ms bigint NOT NULL)");
            // one round trip for the statements of all migrations (a simple-protocol batch)
            StringBuilder sql = new StringBuilder();
            for (int v = current + 1; v <= LATEST; v++) {
              for (String statement : MIGRATIONS.get(v - 1)) sql.append(statement).append(";\n");
            }
            s.execute(sql.toString());
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO agentrt_schema_version (version, applied_at_ms) VALUES (?, ?)")) {
            for (int v = current + 1; v <= LATEST; v++) {
              ps.setInt(1, v);
              ps.setLong(2, nowMs);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          log.info(
              "checkpoint store {}: schema migrated from version {} to {}",
              db.name(),
              current,
              LATEST);
          return null;
        });
  }

  /** The database's schema version: 0 for a database without agentrt's tables. */
  static int current(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT to_regclass('agentrt_schema_version') IS NOT NULL")) {
      r.next();
      if (!r.getBoolean(1)) return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT coalesce(max(version), 0) FROM agentrt_schema_version")) {
      r.next();
      return r.getInt(1);
    }
  }
}
