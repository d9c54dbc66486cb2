package dev.agentrt.memory.internal;

import java.util.List;

/**
 * The database schema as a list of migrations; migration {@code n} (1-based) takes a database from
 * {@code PRAGMA user_version = n - 1} to {@code n}. Append new migrations, never edit one.
 */
final class Schema {
  /** {@code PRAGMA application_id} of an agentrt checkpoint store: "agrt". */
  static final int APPLICATION_ID = 0x61677274;

  /** The version of the rows this code writes ({@code record_version} columns). */
  static final int RECORD_VERSION = 1;

  static final List<List<String>> MIGRATIONS =
      List.of(
          // 1: runs with their lease, the step log, in-step call records, artifacts, lease history
          List.of(
              """
          CREATE TABLE runs (
            run_id            TEXT    NOT NULL PRIMARY KEY,
            record_version    INTEGER NOT NULL,
            workflow_id       TEXT    NOT NULL,
            manifest_hash     TEXT    NOT NULL,
            engine_version    TEXT    NOT NULL,
            input             TEXT,
            input_artifact    TEXT,
            status            TEXT    NOT NULL,
            reason            TEXT,
            step_key          TEXT,
            message           TEXT,
            output            TEXT,
            output_artifact   TEXT,
            created_at_ns     INTEGER NOT NULL,
            updated_at_ns     INTEGER NOT NULL,
            lease_owner       TEXT,
            lease_version     INTEGER NOT NULL,
            lease_acquired_ms INTEGER,
            lease_expires_ms  INTEGER
          )""",
              "CREATE INDEX runs_by_created ON runs (created_at_ns)",
              "CREATE INDEX runs_by_workflow ON runs (workflow_id, created_at_ns)",
              """
          CREATE TABLE steps (
            run_id          TEXT    NOT NULL,
            seq             INTEGER NOT NULL,
            record_version  INTEGER NOT NULL,
            step_key        TEXT    NOT NULL,
            node_id         TEXT    NOT NULL,
            attempts        INTEGER NOT NULL,
            status          TEXT    NOT NULL,
            output          TEXT,
            output_artifact TEXT,
            error           TEXT,
            started_at_ns   INTEGER NOT NULL,
            duration_ns     INTEGER NOT NULL,
            usage           TEXT    NOT NULL,
            UNIQUE (run_id, seq)
          )""",
              """
          CREATE TABLE calls (
            run_id            TEXT    NOT NULL,
            seq               INTEGER NOT NULL,
            record_version    INTEGER NOT NULL,
            step_key          TEXT    NOT NULL,
            idx               INTEGER NOT NULL,
            kind              TEXT    NOT NULL,
            name              TEXT    NOT NULL,
            request_hash      TEXT    NOT NULL,
            request           TEXT,
            request_artifact  TEXT,
            response          TEXT,
            response_artifact TEXT,
            usage             TEXT    NOT NULL,
            started_at_ns     INTEGER NOT NULL,
            duration_ns       INTEGER NOT NULL,
            UNIQUE (run_id, seq)
          )""",
              "CREATE INDEX calls_by_step ON calls (run_id, step_key, seq)",
              """
          CREATE TABLE artifacts (
            sha256        TEXT    NOT NULL UNIQUE,
            size          INTEGER NOT NULL,
            content       BLOB    NOT NULL,
            created_at_ns INTEGER NOT NULL
          )""",
              """
          CREATE TABLE run_artifacts (
            run_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (run_id, sha256)
          ) WITHOUT ROWID""",
              "CREATE INDEX run_artifacts_by_sha ON run_artifacts (sha256)",
              """
          CREATE TABLE run_events (
            id               INTEGER PRIMARY KEY,
            run_id           TEXT    NOT NULL,
            at_ms            INTEGER NOT NULL,
            event            TEXT    NOT NULL,
            owner            TEXT,
            lease_version    INTEGER,
            previous_owner   TEXT,
            previous_version INTEGER
          )""",
              "CREATE INDEX run_events_by_run ON run_events (run_id, id)"),
          // 2: what the caller chose for a run (RunOptions): labels, limits, deadline; NULL if none
          List.of("ALTER TABLE runs ADD COLUMN options TEXT"),
          // 3: the run queue (priority; a partial index, so that runs not queued pay nothing), the
          // running runs a claim may take over (a partial index: a waiting or finished run pays
          // nothing, and a claim does not scan every run), and a run's lineage (the run and step
          // it was forked from)
          List.of(
              "ALTER TABLE runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE runs ADD COLUMN parent_run_id TEXT",
              "ALTER TABLE runs ADD COLUMN forked_from_step TEXT",
              "CREATE INDEX runs_queue ON runs (priority DESC, created_at_ns) "
                  + "WHERE status = 'QUEUED'",
              "CREATE INDEX runs_running ON runs (created_at_ns) WHERE status = 'RUNNING'"));

  /** The schema version this code reads and writes. */
  static final int LATEST = MIGRATIONS.size();

  private Schema() {}
}
