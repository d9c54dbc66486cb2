package dev.agentrt.store.postgres;

import static dev.agentrt.store.postgres.Fixtures.json;
import static dev.agentrt.store.postgres.Fixtures.queued;
import static dev.agentrt.store.postgres.Fixtures.run;
import static dev.agentrt.store.postgres.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable run queue: enqueue, claim, claimNext, across engines sharing the database. */
class PostgresQueueTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private String url;
  private PostgresCheckpointStore a;
  private PostgresCheckpointStore b;

  @BeforeEach
  void open() {
    url = TestDatabase.emptySchema(PostgresQueueTest.class);
    a =
        PostgresCheckpointStore.open(
            TestDatabase.options(url).ownerId("engine-a").clock(clock).build());
    b =
        PostgresCheckpointStore.open(
            TestDatabase.options(url).ownerId("engine-b").clock(clock).build());
    a.internals().heartbeat(false);
    b.internals().heartbeat(false);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void enqueue_runNotQueued_failsNamingItsStatus() {
    assertThat(a.hasQueue()).isTrue();
    assertThatThrownBy(() -> a.enqueue(run("r1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run 'r1' is RUNNING; only a QUEUED run can be enqueued");
    assertThat(a.find("r1")).isEmpty();
  }

  @Test
  void enqueue_existingRunId_fails() {
    a.enqueue(queued("q1", 0));

    assertThatThrownBy(() -> b.enqueue(queued("q1", 0)))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'q1' already exists (run ids must be unique)");
  }

  @Test
  void enqueue_queuedRun_isStoredOwnedByNoOneUntilClaimed() {
    a.enqueue(queued("q1", 3));

    assertThat(b.find("q1").orElseThrow()).isEqualTo(queued("q1", 3));
    try (RunLog log = b.open("q1")) {
      assertThat(log.run().status())
          .as("open does not start a queued run")
          .isEqualTo(RunStatus.QUEUED);
    }
  }

  @Test
  void claimNext_queuedRuns_highestPriorityFirstThenFirstComeFirstServed() {
    a.enqueue(queued("low", 0));
    a.enqueue(queued("high-1", 5));
    a.enqueue(queued("mid", 2));
    a.enqueue(queued("high-2", 5));

    List<String> order = new ArrayList<>();
    for (Optional<RunLog> l; (l = b.claimNext()).isPresent(); ) {
      try (RunLog log = l.get()) {
        assertThat(log.run().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(log.run().updatedAt()).isEqualTo(clock.instant());
        assertThat(log.steps()).isEmpty();
        order.add(log.run().runId());
        log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
      }
    }

    assertThat(order).containsExactly("high-1", "high-2", "mid", "low");
    assertThat(a.find("mid").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void claim_queuedRun_startsItOnce() {
    a.enqueue(queued("q1", 0));

    Optional<RunLog> first = a.claim("q1");
    assertThat(first).isPresent();
    assertThat(b.claim("q1")).as("no longer queued").isEmpty();
    assertThat(b.claim("unknown")).isEmpty();
    assertThat(b.find("q1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThatThrownBy(() -> b.open("q1"))
        .isInstanceOf(dev.agentrt.core.RunOwnedException.class)
        .hasMessageContaining("run 'q1' is owned by engine-a");
    first.get().close();
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT event || ' ' || owner || ' ' || lease_version FROM agentrt_run_events"
                    + " ORDER BY id"))
        .containsExactly("enqueued engine-a 0", "claimed engine-a 1", "released engine-a 1");
  }

  @Test
  void claimNext_noQueuedRun_takesOverARunningRunWhoseLeaseExpiredWithItsSteps() {
    RunLog crashed = a.create(run("r1"));
    crashed.appendStep(step("r1", "start#0", json("1")), List.of());

    assertThat(b.claimNext()).as("the lease is live").isEmpty();
    // engine-a stalls: its lease expires unrenewed
    clock.advance(Duration.ofSeconds(16));

    try (RunLog taken = b.claimNext().orElseThrow()) {
      assertThat(taken.run().runId()).isEqualTo("r1");
      assertThat(taken.run().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(taken.steps()).extracting(StepRecord::stepKey).containsExactly("start#0");
    }
    try (RunLog again = b.claimNext().orElseThrow()) {
      assertThat(again.run().runId())
          .as("r1 was released by engine-b, still RUNNING: claimable again")
          .isEqualTo("r1");
    }
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT event || ' ' || owner || ' ' || lease_version || ' ' ||"
                    + " coalesce(previous_owner, '-') FROM agentrt_run_events WHERE run_id = 'r1'"
                    + " ORDER BY id"))
        .containsExactly(
            "created engine-a 1 -",
            "takeover engine-b 2 engine-a",
            "released engine-b 2 -",
            "acquired engine-b 3 -",
            "released engine-b 3 -");
    crashed.close();
  }

  @Test
  void claimNext_eightConcurrentClaimers_claimEachOfAHundredRunsExactlyOnce() throws Exception {
    for (int i = 0; i < 100; i++) a.enqueue(queued("q" + i, i % 3));
    List<PostgresCheckpointStore> engines = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int t = 0; t < 8; t++) {
        engines.add(
            PostgresCheckpointStore.open(
                TestDatabase.options(url)
                    .ownerId("claimer-" + t)
                    .poolSize(2)
                    .clock(clock)
                    .build()));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> claimed = new ArrayList<>();
      for (PostgresCheckpointStore engine : engines) {
        Callable<List<String>> claimer =
            () -> {
              start.await();
              List<String> mine = new ArrayList<>();
              for (Optional<RunLog> l; (l = engine.claimNext()).isPresent(); ) {
                try (RunLog log = l.get()) {
                  mine.add(log.run().runId());
                  log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
                }
              }
              return mine;
            };
        claimed.add(pool.submit(claimer));
      }
      start.countDown();

      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : claimed) all.addAll(f.get(60, TimeUnit.SECONDS));

      assertThat(all).hasSize(100).doesNotHaveDuplicates();
      assertThat(
              TestDatabase.count(
                  url, "SELECT count(*) FROM agentrt_runs WHERE status = 'COMPLETED'"))
          .isEqualTo(100);
      assertThat(
              TestDatabase.count(
                  url, "SELECT count(*) FROM agentrt_run_events WHERE event = 'claimed'"))
          .isEqualTo(100);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      engines.forEach(PostgresCheckpointStore::close);
    }
  }

  @Test
  void claim_twoEnginesRacingForOneRun_onlyOneGetsIt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 20; i++) {
        String id = "race" + i;
        a.enqueue(queued(id, 0));
        CountDownLatch go = new CountDownLatch(1);
        Future<Optional<RunLog>> fa =
            pool.submit(
                () -> {
                  go.await();
                  return a.claim(id);
                });
        Future<Optional<RunLog>> fb =
            pool.submit(
                () -> {
                  go.await();
                  return b.claim(id);
                });
        go.countDown();
        Optional<RunLog> ra = fa.get(10, TimeUnit.SECONDS);
        Optional<RunLog> rb = fb.get(10, TimeUnit.SECONDS);
        assertThat(ra.isPresent() ^ rb.isPresent()).as(id + " claimed exactly once").isTrue();
        ra.ifPresent(RunLog::close);
        rb.ifPresent(RunLog::close);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
