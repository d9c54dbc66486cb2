package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.CheckpointStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The schema's migrations: applied once, in one transaction; a newer schema is refused. */
class PostgresSchemaTest {

  @Test
  void open_emptySchema_createsTheTablesAtTheLatestVersion_andReopensWithoutChange() {
    String url = TestDatabase.newSchema();
    PostgresCheckpointStore.open(TestDatabase.options(url).build()).close();
    PostgresCheckpointStore.open(TestDatabase.options(url).build()).close();

    assertThat(TestDatabase.strings(url, "SELECT version FROM agentrt_schema_version"))
        .containsExactly("1");
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                    + " current_schema() ORDER BY table_name"))
        .containsExactly(
            "agentrt_calls",
            "agentrt_run_events",
            "agentrt_runs",
            "agentrt_schema_version",
            "agentrt_steps");
  }

  @Test
  void open_schemaOfANewerVersion_isRefusedAndLeftUntouched() {
    String url = TestDatabase.newSchema();
    TestDatabase.exec(
        url,
        "CREATE TABLE agentrt_schema_version (version integer NOT NULL PRIMARY KEY, applied_at_ms"
            + " bigint NOT NULL)");
    TestDatabase.exec(url, "INSERT INTO agentrt_schema_version VALUES (1, 0), (2, 0)");

    assertThatThrownBy(() -> PostgresCheckpointStore.open(TestDatabase.options(url).build()))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": the database has schema version 2, newer than this agentrt reads (version"
                + " 1); a newer agentrt wrote it: upgrade agentrt, or give another database (the"
                + " database was left unchanged)");
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                    + " current_schema()"))
        .containsExactly("agentrt_schema_version");
    assertThat(TestDatabase.strings(url, "SELECT version FROM agentrt_schema_version ORDER BY 1"))
        .containsExactly("1", "2");
  }

  @Test
  void open_fourEnginesAtOnceOnAnEmptySchema_migrateItOnce() throws Exception {
    String url = TestDatabase.newSchema();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PostgresCheckpointStore>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(
            pool.submit(
                () -> {
                  go.await();
                  return PostgresCheckpointStore.open(
                      TestDatabase.options(url).poolSize(1).build());
                }));
      }
      go.countDown();
      for (Future<PostgresCheckpointStore> f : opened) f.get(30, TimeUnit.SECONDS).close();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(TestDatabase.strings(url, "SELECT version FROM agentrt_schema_version"))
        .containsExactly("1");
  }
}
