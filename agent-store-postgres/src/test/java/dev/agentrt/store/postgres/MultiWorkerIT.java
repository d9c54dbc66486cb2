package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes share one PostgreSQL queue of 300 runs with effectful tool steps, and one
 * of them is killed with SIGKILL mid-way: every run completes exactly once, every step is in its
 * run's log once, every effect happened (exactly once after de-duplication by idempotency key), and
 * no run was owned by two live workers at once (only the killed worker's leases were taken over).
 */
class MultiWorkerIT {
  private static final int RUNS = 300;
  private static final int CHARGES = 3;

  @TempDir Path dir;

  @Test
  void threeWorkers_oneKilled_everyRunCompletesOnce_everyEffectOnceByKey() throws Exception {
    String url = TestDatabase.newSchema();
    exec(
        url,
        "CREATE TABLE ledger (id BIGSERIAL PRIMARY KEY, idem_key TEXT NOT NULL,"
            + " run_id TEXT NOT NULL, owner TEXT NOT NULL)");
    Path config = dir.resolve("agent");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");
    StringBuilder nodes = new StringBuilder("  - {id: start, role: start}\n");
    StringBuilder edges = new StringBuilder();
    String previous = "start";
    for (int i = 1; i <= CHARGES; i++) {
      nodes.append("  - {id: c").append(i).append(", kind: tool, tool: ledger.charge, args: {}}\n");
      edges.append("  - {from: ").append(previous).append(", to: c").append(i).append("}\n");
      previous = "c" + i;
    }
    nodes.append("  - {id: done, role: exit, output: \"{{c").append(CHARGES).append("}}\"}\n");
    edges.append("  - {from: ").append(previous).append(", to: done}\n");
    Files.writeString(
        config.resolve("workflows/pay.yml"), "id: pay\nnodes:\n" + nodes + "edges:\n" + edges);

    Set<String> ids = new HashSet<>();
    try (AgentRuntime producer = LedgerWorkerMain.runtime(url, config, "producer", null)) {
      RunOptions left = RunOptions.builder().leaveToWorkers().build();
      for (int i = 0; i < RUNS; i++) ids.add(producer.enqueue("pay", Map.of("n", i), left).runId());
    }

    List<ChildJvm> workers = new ArrayList<>();
    for (String owner : List.of("w0", "w1", "w2")) {
      workers.add(ChildJvm.start(LedgerWorkerMain.class, url, config.toString(), owner));
    }
    for (ChildJvm w : workers) assertThat(w.next("ready"::equals, 60)).isEqualTo("ready");

    Set<String> done = new HashSet<>();
    ChildJvm victim = workers.get(0);
    for (int i = 0; i < 20; i++) done.add(victim.next(l -> l.startsWith("done "), 60).substring(5));
    victim.kill(); // SIGKILL: up to 4 runs in flight, their leases left to expire
    for (String l : victim.output().lines().toList()) {
      if (l.startsWith("done ")) done.add(l.substring(5));
    }
    List<ChildJvm> live = workers.subList(1, 3);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (done.size() < RUNS && System.nanoTime() < deadline) {
      for (ChildJvm w : live) {
        String line = w.poll(l -> l.startsWith("done "), 100);
        if (line != null) done.add(line.substring(5));
      }
    }
    for (ChildJvm w : live) w.kill();
    assertThat(done).as("runs reported completed").containsExactlyInAnyOrderElementsOf(ids);

    try (PostgresCheckpointStore store =
        PostgresCheckpointStore.open(PostgresStoreOptions.builder(url).user("postgres").build())) {
      assertCompletedOnce(store, ids);
    }
    Map<String, Integer> perKey = new HashMap<>();
    Map<String, List<String>> ownersInOrder = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT idem_key, run_id, owner FROM ledger ORDER BY id")) {
      while (r.next()) {
        perKey.merge(r.getString(1), 1, Integer::sum);
        List<String> owners = ownersInOrder.computeIfAbsent(r.getString(2), k -> new ArrayList<>());
        if (owners.isEmpty() || !owners.get(owners.size() - 1).equals(r.getString(3))) {
          owners.add(r.getString(3));
        }
      }
    }
    assertThat(perKey).as("one effect per charge step, by idempotency key").hasSize(RUNS * CHARGES);
    long duplicates = perKey.values().stream().filter(n -> n > 1).count();
    System.out.printf(
        "multi-worker: %d runs, %d completed by the killed worker before the kill, %d effects"
            + " repeated after it, %d runs continued by another worker%n",
        RUNS,
        victim.count("done "),
        duplicates,
        ownersInOrder.values().stream().filter(o -> o.size() > 1).count());
    assertThat(duplicates)
        .as("effects repeated: only those of the runs cut by the kill (at most 4 in flight)")
        .isLessThanOrEqualTo(4);
    for (Map.Entry<String, List<String>> e : ownersInOrder.entrySet()) {
      List<String> owners = e.getValue();
      assertThat(owners.size() == 1 || (owners.size() == 2 && owners.get(0).equals("w0")))
          .as("run %s executed by %s: a second owner only after the killed one", e.getKey(), owners)
          .isTrue();
    }
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT DISTINCT previous_owner FROM agentrt_run_events WHERE event = 'takeover'")) {
      while (r.next()) {
        assertThat(r.getString(1))
            .as("only the killed worker's leases are taken over")
            .isEqualTo("w0");
      }
    }
  }

  private static void assertCompletedOnce(CheckpointStore store, Set<String> ids) {
    for (String id : ids) {
      assertThat(store.find(id).orElseThrow().status()).as(id).isEqualTo(RunStatus.COMPLETED);
      List<String> keys = store.steps(id).stream().map(StepRecord::stepKey).toList();
      assertThat(keys).as("steps of " + id).doesNotHaveDuplicates().hasSize(CHARGES + 2);
    }
  }

  private static void exec(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
