package dev.agentrt.memory.internal;

import dev.agentrt.core.RunStatus;
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
              "CREATE INDEX runs_running ON runs (created_at_ns) WHERE status = 'RUNNING'"),
          // 4: the compact layout (see migration4)
          migration4());

  /**
   * Migration 4, the compact layout: a run's fixed cost on disk and per commit.
   *
   * <ul>
   *   <li>{@code runs} gets an integer key ({@code run_key}, its rowid): the step log, calls,
   *       artifacts and lease history refer to a run by it instead of repeating its id;
   *   <li>{@code manifests} holds each (workflow, manifest hash, engine version) once, and a run
   *       refers to it by {@code manifest_key};
   *   <li>statuses and failure reasons are small integers ({@link Codes});
   *   <li>{@code steps} is a {@code WITHOUT ROWID} table keyed by {@code (run_key, seq)}: no
   *       separate index; a step's start is stored relative to its run's creation ({@code
   *       started_ns}), its usage in a few bytes ({@link UsageBytes}; rows migrated from schema 3
   *       keep their JSON text, read as before), its {@code node_id} only when it is not the node
   *       its step key names;
   *   <li>a JSON {@code null} value is SQL NULL in both its columns (inline and artifact);
   *   <li>{@code runs.message} (a column without type affinity) holds the engine's standard message
   *       of a waiting run as the integer 1 ("waits before") or 2 ("waits after"): it is rebuilt
   *       from {@code step_key} on read;
   *   <li>a released lease keeps no {@code lease_acquired_ms}.
   * </ul>
   *
   * The tables are rebuilt and their rows copied, in the migration's one transaction.
   */
  private static List<String> migration4() {
    String manifest =
        "(SELECT manifest_key FROM manifests m WHERE m.workflow_id = r.workflow_id "
            + "AND m.manifest_hash = r.manifest_hash AND m.engine_version = r.engine_version)";
    // the JSON usage of schema 3 is kept as it is; '{}' (all zero) becomes NULL, as written now
    String usage = "nullif(o.usage, '{}')";
    return List.of(
        """
        CREATE TABLE manifests (
          manifest_key   INTEGER PRIMARY KEY,
          workflow_id    TEXT    NOT NULL,
          manifest_hash  TEXT    NOT NULL,
          engine_version TEXT    NOT NULL,
          UNIQUE (workflow_id, manifest_hash, engine_version)
        )""",
        "INSERT INTO manifests (workflow_id, manifest_hash, engine_version) "
            + "SELECT workflow_id, manifest_hash, engine_version FROM runs "
            + "GROUP BY workflow_id, manifest_hash, engine_version ORDER BY min(rowid)",
        """
        CREATE TABLE runs_4 (
          run_key           INTEGER PRIMARY KEY,
          run_id            TEXT    NOT NULL UNIQUE,
          record_version    INTEGER NOT NULL,
          manifest_key      INTEGER NOT NULL,
          input             TEXT,
          input_artifact    TEXT,
          status            INTEGER NOT NULL,
          reason            INTEGER,
          step_key          TEXT,
          message,
          output            TEXT,
          output_artifact   TEXT,
          created_at_ns     INTEGER NOT NULL,
          updated_at_ns     INTEGER NOT NULL,
          lease_owner       TEXT,
          lease_version     INTEGER NOT NULL,
          lease_acquired_ms INTEGER,
          lease_expires_ms  INTEGER,
          options           TEXT,
          priority          INTEGER NOT NULL DEFAULT 0,
          parent_run_id     TEXT,
          forked_from_step  TEXT
        )""",
        "INSERT INTO runs_4 (run_id, record_version, manifest_key, input, input_artifact, status, "
            + "reason, step_key, message, output, output_artifact, created_at_ns, updated_at_ns, "
            + "lease_owner, lease_version, lease_acquired_ms, lease_expires_ms, options, priority, "
            + "parent_run_id, forked_from_step) SELECT run_id, record_version, "
            + manifest
            + ", nullif(input, 'null'), input_artifact, "
            + Codes.RUN_STATUS.sqlFromName("status")
            + ", "
            + Codes.REASON.sqlFromName("reason")
            + ", step_key, message, nullif(output, 'null'), output_artifact, created_at_ns, "
            + "updated_at_ns, lease_owner, lease_version, iif(lease_owner IS NULL, NULL, "
            + "lease_acquired_ms), lease_expires_ms, options, priority, parent_run_id, "
            + "forked_from_step FROM runs r ORDER BY rowid",
        """
        CREATE TABLE steps_4 (
          run_key         INTEGER NOT NULL,
          seq             INTEGER NOT NULL,
          record_version  INTEGER NOT NULL,
          step_key        TEXT    NOT NULL,
          node_id         TEXT,
          attempts        INTEGER NOT NULL,
          status          INTEGER NOT NULL,
          output          TEXT,
          output_artifact TEXT,
          error           TEXT,
          started_ns      INTEGER NOT NULL,
          duration_ns     INTEGER NOT NULL,
          usage,
          PRIMARY KEY (run_key, seq)
        ) WITHOUT ROWID""",
        "INSERT INTO steps_4 SELECT r.run_key, o.seq, o.record_version, o.step_key, o.node_id, "
            + "o.attempts, "
            + Codes.STEP_STATUS.sqlFromName("o.status")
            + ", nullif(o.output, 'null'), o.output_artifact, o.error, "
            + "o.started_at_ns - r.created_at_ns, o.duration_ns, "
            + usage
            + " FROM steps o JOIN runs_4 r ON r.run_id = o.run_id ORDER BY r.run_key, o.seq",
        """
        CREATE TABLE calls_4 (
          run_key           INTEGER NOT NULL,
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
          started_at_ns     INTEGER NOT NULL,
          duration_ns       INTEGER NOT NULL,
          usage,
          UNIQUE (run_key, seq)
        )""",
        "INSERT INTO calls_4 SELECT r.run_key, o.seq, o.record_version, o.step_key, o.idx, o.kind, "
            + "o.name, o.request_hash, nullif(o.request, 'null'), o.request_artifact, "
            + "nullif(o.response, 'null'), o.response_artifact, o.started_at_ns, o.duration_ns, "
            + usage
            + " FROM calls o JOIN runs_4 r ON r.run_id = o.run_id ORDER BY r.run_key, o.seq",
        """
        CREATE TABLE run_artifacts_4 (
          run_key INTEGER NOT NULL,
          sha256  TEXT    NOT NULL,
          PRIMARY KEY (run_key, sha256)
        ) WITHOUT ROWID""",
        "INSERT INTO run_artifacts_4 SELECT r.run_key, o.sha256 FROM run_artifacts o "
            + "JOIN runs_4 r ON r.run_id = o.run_id",
        """
        CREATE TABLE run_events_4 (
          id               INTEGER PRIMARY KEY,
          run_key          INTEGER NOT NULL,
          at_ms            INTEGER NOT NULL,
          event            TEXT    NOT NULL,
          owner            TEXT,
          lease_version    INTEGER,
          previous_owner   TEXT,
          previous_version INTEGER
        )""",
        "INSERT INTO run_events_4 SELECT o.id, r.run_key, o.at_ms, o.event, o.owner, "
            + "o.lease_version, o.previous_owner, o.previous_version FROM run_events o "
            + "JOIN runs_4 r ON r.run_id = o.run_id",
        "DROP TABLE runs",
        "DROP TABLE steps",
        "DROP TABLE calls",
        "DROP TABLE run_artifacts",
        "DROP TABLE run_events",
        "ALTER TABLE runs_4 RENAME TO runs",
        "ALTER TABLE steps_4 RENAME TO steps",
        "ALTER TABLE calls_4 RENAME TO calls",
        "ALTER TABLE run_artifacts_4 RENAME TO run_artifacts",
        "ALTER TABLE run_events_4 RENAME TO run_events",
        "CREATE INDEX runs_by_created ON runs (created_at_ns)",
        "CREATE INDEX runs_by_manifest ON runs (manifest_key)",
        "CREATE INDEX runs_queue ON runs (priority DESC, created_at_ns) WHERE status = "
            + Codes.RUN_STATUS.of(RunStatus.QUEUED),
        "CREATE INDEX runs_running ON runs (created_at_ns) WHERE status = "
            + Codes.RUN_STATUS.of(RunStatus.RUNNING),
        "CREATE INDEX calls_by_step ON calls (run_key, step_key, seq)",
        "CREATE INDEX run_artifacts_by_sha ON run_artifacts (sha256)",
        "CREATE INDEX run_events_by_run ON run_events (run_key, id)");
  }

  /** The schema version this code reads and writes. */
  static final int LATEST = MIGRATIONS.size();

  private Schema() {}
}
