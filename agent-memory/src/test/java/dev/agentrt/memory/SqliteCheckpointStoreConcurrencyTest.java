package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.count;
import static dev.agentrt.memory.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many runs appending at once through the single group-committing writer. */
class SqliteCheckpointStoreConcurrencyTest {
  static final int THREADS = 16;
  static final int STEPS = 200;

  @TempDir Path dir;
  Path db;
  SqliteCheckpointStore store;
  ExecutorService pool;

  @BeforeEach
  void open() {
    db = dir.resolve("runs.db");
    store = SqliteCheckpointStore.open(db);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    store.close();
  }

  @Test
  void appendStep_16RunsOnThreadsTimes200Steps_allPresentAndOrderedPerRun_inFewerCommits()
      throws Exception {
    long commitsBefore = store.internals().commits();
    long writesBefore = store.internals().committedWrites();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String runId = "run-" + t;
      RunLog log = store.create(run(runId));
      done.add(
          pool.submit(
              () -> {
                go.await();
                try (log) {
                  for (int i = 0; i < STEPS; i++)
                    log.appendStep(Fixtures.step(runId, "s#" + i, IntNode.valueOf(i)), List.of());
                }
                return null;
              }));
    }
    long writesAtStart = store.internals().committedWrites();
    go.countDown();
    for (Future<?> f : done) f.get();

    List<String> expected =
        IntStream.range(0, STEPS).mapToObj(i -> "s#" + i).collect(Collectors.toList());
    for (int t = 0; t < THREADS; t++) {
      List<StepRecord> steps = store.steps("run-" + t);
      assertThat(steps).extracting(StepRecord::stepKey).as("run-" + t).isEqualTo(expected);
      assertThat(steps).extracting(s -> s.output().intValue()).isSorted();
    }
    assertThat(count(db, "SELECT count(*) FROM steps")).isEqualTo(THREADS * STEPS);
    long appends = THREADS * STEPS;
    long writes = store.internals().committedWrites() - writesBefore;
    long commits = store.internals().commits() - commitsBefore;
    assertThat(store.internals().committedWrites() - writesAtStart).isGreaterThanOrEqualTo(appends);
    assertThat(commits)
        .as("%d writes (%d appends) in %d commits", writes, appends, commits)
        .isLessThan(appends / 2);
  }

  @Test
  void appendStep_16ThreadsOnOneRun_allPresentWithContiguousSequenceAndPerThreadOrder()
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (RunLog log = store.create(run("shared"))) {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < STEPS; i++) {
                    log.appendStep(
                        Fixtures.step("shared", "b" + thread + "#" + i, IntNode.valueOf(i)),
                        List.of(Fixtures.call("shared", "b" + thread + "#" + i, 0, "tool")));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) f.get();
    }
    List<StepRecord> steps = store.steps("shared");
    assertThat(steps).hasSize(THREADS * STEPS);
    for (int t = 0; t < THREADS; t++) {
      String prefix = "b" + t + "#";
      assertThat(
              steps.stream()
                  .filter(s -> s.stepKey().startsWith(prefix))
                  .map(s -> s.output().intValue()))
          .containsExactlyElementsOf(
              IntStream.range(0, STEPS).boxed().collect(Collectors.toList()));
    }
    assertThat(
            count(
                db,
                "SELECT count(DISTINCT seq) FROM steps WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'shared') AND seq BETWEEN 1 AND "
                    + THREADS * STEPS))
        .isEqualTo(THREADS * STEPS);
    assertThat(
            count(
                db,
                "SELECT count(*) FROM calls WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'shared')"))
        .isEqualTo(THREADS * STEPS);
  }

  @Test
  void appendStep_returns_onlyAfterCommitVisibleToAnotherConnection() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      for (int i = 0; i < 20; i++) {
        log.appendStep(Fixtures.step("r1", "s#" + i, IntNode.valueOf(i)), List.of());
        assertThat(
                count(
                    db,
                    "SELECT count(*) FROM steps WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'r1')"))
            .isEqualTo(i + 1);
      }
    }
  }

  @Test
  void appendStep_oneRunAlone_committedOnePerAppend() {
    try (RunLog log = store.create(run("r1"))) {
      long commitsBefore = store.internals().commits();
      for (int i = 0; i < 50; i++)
        log.appendStep(Fixtures.step("r1", "s#" + i, IntNode.valueOf(i)), List.of());
      assertThat(store.internals().commits() - commitsBefore).isEqualTo(50);
    }
  }

  @Test
  void appendStep_thousandsOfSteps_walCheckpointedInBackgroundNotByCommits() throws Exception {
    assertThat(store.internals().pragmas()).containsEntry("writer.wal_autocheckpoint", "20000");
    try (RunLog log = store.create(run("r1"))) {
      for (int i = 0; i < 5000; i++)
        log.appendStep(Fixtures.step("r1", "s#" + i, IntNode.valueOf(i)), List.of());
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.internals().checkpoints() == 0 && System.nanoTime() < deadline)
      LockSupport.parkNanos(1_000_000);
    assertThat(store.internals().checkpoints()).isPositive();
    assertThat(store.steps("r1")).hasSize(5000);
  }

  @Test
  void readers_whileWriterBusy_readWithoutBlocking() throws Exception {
    try (RunLog log = store.create(run("r1"))) {
      Future<?> writing =
          pool.submit(
              () -> {
                for (int i = 0; i < 2000; i++)
                  log.appendStep(Fixtures.step("r1", "s#" + i, IntNode.valueOf(i)), List.of());
                return null;
              });
      int reads = 0;
      int last = 0;
      while (!writing.isDone()) {
        int n = store.steps("r1").size();
        assertThat(n).isGreaterThanOrEqualTo(last);
        last = n;
        reads++;
      }
      writing.get();
      assertThat(reads).isPositive();
    }
    assertThat(store.steps("r1")).hasSize(2000);
  }
}
