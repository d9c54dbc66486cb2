package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.json;
import static dev.agentrt.memory.Fixtures.run;
import static dev.agentrt.memory.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-writer fencing: leases taken by create/open, renewed, released, expired and taken over.
 */
class SqliteCheckpointStoreLeaseTest {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  Path db;
  MutableClock clock = new MutableClock(START);
  SqliteCheckpointStore a;
  SqliteCheckpointStore b;

  @BeforeEach
  void open() {
    db = dir.resolve("runs.db");
    a = SqliteCheckpointStore.open(db, Fixtures.options().ownerId("engine-a").clock(clock).build());
    b = SqliteCheckpointStore.open(db, Fixtures.options().ownerId("engine-b").clock(clock).build());
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void open_runOwnedByLiveLogOfAnotherStore_refusedNamingOwner() {
    RunLog log = a.create(run("r1"));
    assertThatThrownBy(() -> b.open("r1"))
        .isInstanceOfSatisfying(
            RunOwnedException.class,
            e -> {
              assertThat(e.runId()).isEqualTo("r1");
              assertThat(e.owner()).isEqualTo("engine-a");
              assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:15Z"));
            })
        .hasMessage(
            "checkpoint store "
                + db
                + ": run 'r1' is owned by engine-a since 2026-03-01T10:00:00Z (lease 1, "
                + "expires 2026-03-01T10:00:15Z; resume it once that owner has finished, or once its lease has expired if "
                + "it crashed)");
    log.appendStep(step("r1", "a#0", json("1")), List.of());
    log.close();
  }

  @Test
  void open_runOwnedByLiveLogOfTheSameStore_refused() {
    try (RunLog log = a.create(run("r1"))) {
      assertThat(log).isNotNull();
      assertThatThrownBy(() -> a.open("r1"))
          .isInstanceOf(RunOwnedException.class)
          .hasMessageContaining(": run 'r1' is owned by engine-a since ");
    }
  }

  @Test
  void open_leaseExpired_takenOverRecordedAndStaleLogFenced() throws Exception {
    RunLog stale = a.create(run("r1"));
    stale.appendStep(step("r1", "a#0", json("1")), List.of());
    a.internals().heartbeat(false);
    clock.advance(Duration.ofSeconds(16));

    RunLog taken = b.open("r1");
    assertThat(taken.steps()).extracting(StepRecord::stepKey).containsExactly("a#0");

    assertThatThrownBy(() -> stale.appendStep(step("r1", "b#0", json("2")), List.of()))
        .isInstanceOfSatisfying(
            RunOwnedException.class,
            e -> {
              assertThat(e.owner()).isEqualTo("engine-b");
              assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:31Z"));
            })
        .hasMessage(
            "checkpoint store "
                + db
                + ": run 'r1', step 'b#0': cannot append the step: run 'r1' is owned by "
                + "engine-b since 2026-03-01T10:00:16Z (lease 2; this log's lease 1 was taken over after it expired; this "
                + "engine must stop the run)");
    assertThatThrownBy(() -> stale.appendCall(Fixtures.call("r1", "b#0", 0, "tool")))
        .isInstanceOf(RunOwnedException.class)
        .hasMessageContaining(
            "run 'r1', step 'b#0', call 0: cannot append the call: run 'r1' is owned by engine-b");
    assertThatThrownBy(
            () -> stale.updateStatus(RunStatus.COMPLETED, null, null, null, NullNode.getInstance()))
        .isInstanceOf(RunOwnedException.class)
        .hasMessageContaining(
            "run 'r1': cannot record status COMPLETED: run 'r1' is owned by engine-b");
    stale.close();

    taken.appendStep(step("r1", "b#0", json("2")), List.of());
    assertThat(b.steps("r1")).extracting(StepRecord::stepKey).containsExactly("a#0", "b#0");
    assertThatThrownBy(() -> a.open("r1"))
        .as("closing the stale log did not release the new owner's lease")
        .isInstanceOf(RunOwnedException.class)
        .hasMessageContaining("run 'r1' is owned by engine-b since 2026-03-01T10:00:16Z");
    taken.close();

    assertThat(events("r1"))
        .containsExactly("takeover engine-b 2 engine-a 1", "released engine-b 2 null null");
  }

  @Test
  void append_leaseTakenOverAndSinceReleased_refusedAsOwnedNamingTheEngineThatTookItOver()
      throws Exception {
    RunLog stale = a.create(run("r1"));
    a.internals().heartbeat(false);
    clock.advance(Duration.ofSeconds(16));
    RunLog taken = b.open("r1");
    taken.appendStep(step("r1", "a#0", json("1")), List.of());
    taken.close();

    assertThatThrownBy(() -> stale.appendStep(step("r1", "a#0", json("2")), List.of()))
        .isInstanceOfSatisfying(
            RunOwnedException.class,
            e -> {
              assertThat(e.owner()).isEqualTo("engine-b");
              assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:16Z"));
            })
        .hasMessage(
            "checkpoint store "
                + db
                + ": run 'r1', step 'a#0': cannot append the step: run 'r1' is no longer "
                + "owned by engine-a: its lease 1 was taken over by engine-b (lease 2, since released); this engine must "
                + "stop the run");
    stale.close();
    assertThat(b.steps("r1")).extracting(StepRecord::stepKey).containsExactly("a#0");
  }

  @Test
  void close_releasesTheLease_anotherStoreOpensAtOnce() throws Exception {
    a.create(run("r1")).close();
    try (RunLog log = b.open("r1")) {
      assertThat(log.run().runId()).isEqualTo("r1");
    }
    assertThat(events("r1"))
        .as("the creator's own lease is not recorded")
        .containsExactly("acquired engine-b 2 null null", "released engine-b 2 null null");
  }

  @Test
  void create_runThatNeverChangesHands_recordsNoLeaseHistory() throws Exception {
    try (RunLog log = a.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", json("1")), List.of());
      log.updateStatus(RunStatus.WAITING, null, "b#0", null, NullNode.getInstance());
    }
    assertThat(events("r1")).isEmpty();
    a.open("r1").close();
    assertThat(events("r1"))
        .containsExactly("acquired engine-a 2 null null", "released engine-a 2 null null");
  }

  @Test
  void claim_queuedRun_recordsClaimAndRelease() throws Exception {
    a.enqueue(
        new dev.agentrt.core.spi.RunRecord(
            "q1",
            "wf",
            "h",
            "v",
            json("{}"),
            RunStatus.QUEUED,
            null,
            null,
            null,
            NullNode.getInstance(),
            START,
            START));
    assertThat(events("q1")).isEmpty();
    b.claim("q1").orElseThrow().close(); // released without a final status: claimable again
    a.claimNext().orElseThrow().close();
    assertThat(events("q1"))
        .containsExactly(
            "claimed engine-b 1 null null",
            "released engine-b 1 null null",
            "acquired engine-a 2 null null",
            "released engine-a 2 null null");
  }

  @Test
  void storeClose_releasesLeasesOfOpenLogs() {
    RunLog log = a.create(run("r1"));
    a.close();
    assertThat(b.open("r1")).isNotNull();
    assertThatThrownBy(() -> log.appendStep(step("r1", "a#0", json("1")), List.of()))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("this run log is closed");
  }

  @Test
  void heartbeat_renewsLeaseWhileLogIsOpen() throws Exception {
    CountingClock counting = new CountingClock(clock);
    try (SqliteCheckpointStore quick =
        SqliteCheckpointStore.open(
            db,
            Fixtures.options()
                .ownerId("quick")
                .leaseTtl(Duration.ofMillis(150))
                .clock(counting)
                .build())) {
      RunLog log = quick.create(run("r1")); // the lease runs until START + 150 ms
      clock.advance(Duration.ofMinutes(1));
      // nothing but the heartbeat reads quick's clock now; a renewal reads it once, and the next
      // renewal starts after the previous one has committed: two reads, one renewal committed
      CountDownLatch renewals = counting.countFromNow(2);
      assertThat(renewals.await(10, TimeUnit.SECONDS)).as("two heartbeats within 10 s").isTrue();

      assertThatThrownBy(() -> b.open("r1"))
          .as("renewed on the store clock: until START + 1 min + 150 ms")
          .isInstanceOf(RunOwnedException.class)
          .hasMessageContaining("run 'r1' is owned by quick since");

      quick.internals().heartbeat(false); // a stalled process: no renewal from here on
      log.appendStep(step("r1", "a#0", json("1")), List.of());
      clock.advance(Duration.ofSeconds(1));
      try (RunLog taken = b.open("r1")) {
        assertThat(taken.steps()).hasSize(1);
      }
    }
  }

  /** {@code delegate}'s time; counts reads down on a latch from {@link #countFromNow} on. */
  private static final class CountingClock extends Clock {
    private final Clock delegate;
    private volatile CountDownLatch reads = new CountDownLatch(0);

    CountingClock(Clock delegate) {
      this.delegate = delegate;
    }

    CountDownLatch countFromNow(int n) {
      reads = new CountDownLatch(n);
      return reads;
    }

    @Override
    public Instant instant() {
      Instant now = delegate.instant();
      reads.countDown();
      return now;
    }

    @Override
    public ZoneId getZone() {
      return delegate.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("withZone");
    }
  }

  private List<String> events(String runId) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = Fixtures.jdbc(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT event, owner, lease_version, previous_owner, previous_version "
                    + "FROM run_events WHERE run_key = (SELECT run_key FROM runs WHERE run_id = '"
                    + runId
                    + "') ORDER BY id")) {
      while (r.next()) {
        out.add(
            r.getString(1)
                + " "
                + r.getString(2)
                + " "
                + r.getLong(3)
                + " "
                + r.getString(4)
                + " "
                + r.getString(5));
      }
    }
    return out;
  }
}
