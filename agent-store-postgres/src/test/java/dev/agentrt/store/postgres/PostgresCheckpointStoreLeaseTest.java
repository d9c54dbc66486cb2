package dev.agentrt.store.postgres;

import static dev.agentrt.store.postgres.Fixtures.call;
import static dev.agentrt.store.postgres.Fixtures.json;
import static dev.agentrt.store.postgres.Fixtures.run;
import static dev.agentrt.store.postgres.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines (two stores, two owners) on one database: leases, their renewal, takeover after
 * expiry, and the fencing of every write of the engine that lost its lease.
 */
class PostgresCheckpointStoreLeaseTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private String url;
  private PostgresCheckpointStore a;
  private PostgresCheckpointStore b;

  @BeforeEach
  void open() {
    url = TestDatabase.emptySchema(PostgresCheckpointStoreLeaseTest.class);
    a =
        PostgresCheckpointStore.open(
            TestDatabase.options(url).ownerId("engine-a").clock(clock).build());
    b =
        PostgresCheckpointStore.open(
            TestDatabase.options(url).ownerId("engine-b").clock(clock).build());
    // the tests move the clock: no background renewal may interleave
    a.internals().heartbeat(false);
    b.internals().heartbeat(false);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void open_runOwnedByALiveLease_failsNamingOwnerAndExpiry() {
    try (RunLog owned = a.create(run("r1"))) {
      assertThat(owned.run().runId()).isEqualTo("r1");
      assertThatThrownBy(() -> b.open("r1"))
          .isInstanceOfSatisfying(
              RunOwnedException.class,
              e -> {
                assertThat(e.owner()).isEqualTo("engine-a");
                assertThat(e.runId()).isEqualTo("r1");
                assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:15Z"));
              })
          .hasMessage(
              "checkpoint store "
                  + TestDatabase.url()
                  + ": run 'r1' is owned by engine-a since 2026-03-01T10:00:00Z (lease 1, expires"
                  + " 2026-03-01T10:00:15Z; resume it once that owner has finished, or once its"
                  + " lease has expired if it crashed)");
    }
  }

  @Test
  void renewal_extendsTheLeaseFromTheClocksNow() {
    try (RunLog owned = a.create(run("r1"))) {
      assertThat(owned.run().runId()).isEqualTo("r1");
      clock.advance(Duration.ofSeconds(10));
      a.internals().renewLeases();
      clock.advance(Duration.ofSeconds(10));

      assertThatThrownBy(() -> b.open("r1"))
          .as("renewed at 10:00:10, the lease runs to 10:00:25")
          .isInstanceOfSatisfying(
              RunOwnedException.class,
              e -> assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:25Z")));
    }
  }

  @Test
  void open_afterExpiry_takesOverAndEveryWriteOfTheOldOwnerIsRefusedNamingTheNewOwner() {
    RunLog stale = a.create(run("r1"));
    stale.appendStep(step("r1", "start#0", json("1")), List.of());
    clock.advance(Duration.ofSeconds(16));

    try (RunLog taken = b.open("r1")) {
      assertThat(taken.steps()).extracting(StepRecord::stepKey).containsExactly("start#0");
      String owned =
          "run 'r1' is owned by engine-b since 2026-03-01T10:00:16Z (lease 2; this log's lease 1"
              + " was taken over after it expired; this engine must stop the run)";
      String store = "checkpoint store " + TestDatabase.url() + ": ";

      assertThatThrownBy(() -> stale.appendStep(step("r1", "a#0", json("1")), List.of()))
          .isInstanceOfSatisfying(
              RunOwnedException.class, e -> assertThat(e.owner()).isEqualTo("engine-b"))
          .hasMessage(store + "run 'r1', step 'a#0': cannot append the step: " + owned);
      assertThatThrownBy(
              () ->
                  stale.appendStep(
                      step("r1", "a#0", json("1")), List.of(call("r1", "a#0", 0, "x"))))
          .isInstanceOf(RunOwnedException.class)
          .hasMessage(store + "run 'r1', step 'a#0': cannot append the step: " + owned);
      assertThatThrownBy(() -> stale.appendCall(call("r1", "a#0", 0, "x")))
          .isInstanceOf(RunOwnedException.class)
          .hasMessage(store + "run 'r1', step 'a#0', call 0: cannot append the call: " + owned);
      assertThatThrownBy(() -> stale.updateStatus(RunStatus.COMPLETED, null, null, null, json("1")))
          .isInstanceOf(RunOwnedException.class)
          .hasMessage(store + "run 'r1': cannot record status COMPLETED: " + owned);

      taken.appendStep(step("r1", "b#0", json("2")), List.of());
    }
    assertThatThrownBy(() -> stale.appendStep(step("r1", "a#0", json("1")), List.of()))
        .as("taken over, then released by the new owner")
        .isInstanceOfSatisfying(
            RunOwnedException.class, e -> assertThat(e.owner()).isEqualTo("engine-b"))
        .hasMessage(
            "checkpoint store "
                + TestDatabase.url()
                + ": run 'r1', step 'a#0': cannot append the step: run 'r1' is no longer owned by"
                + " engine-a: its lease 1 was taken over by engine-b (lease 2, since released);"
                + " this engine must stop the run");
    stale.close();

    assertThat(a.steps("r1")).extracting(StepRecord::stepKey).containsExactly("start#0", "b#0");
    assertThat(a.calls("r1")).isEmpty();
    assertThat(a.find("r1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT event || ' ' || owner || ' ' || lease_version || ' ' ||"
                    + " coalesce(previous_owner, '-') FROM agentrt_run_events WHERE run_id = 'r1'"
                    + " ORDER BY id"))
        .containsExactly(
            "created engine-a 1 -", "takeover engine-b 2 engine-a", "released engine-b 2 -");
  }

  @Test
  void close_releasesTheLease_soAnotherEngineOpensTheRunAtOnce() {
    a.create(run("r1")).close();

    try (RunLog log = b.open("r1")) {
      assertThat(log.run().runId()).isEqualTo("r1");
    }
    assertThat(
            TestDatabase.strings(
                url, "SELECT event || ' ' || owner FROM agentrt_run_events ORDER BY id"))
        .containsExactly(
            "created engine-a", "released engine-a", "acquired engine-b", "released engine-b");
  }

  @Test
  void finish_statusAndReleaseInOneStatement_leaseColumnsClearedAndReleasedEventRecorded() {
    RunLog log = a.create(run("r1"));
    clock.advance(Duration.ofSeconds(2));
    log.finish(RunStatus.COMPLETED, null, null, null, json("{\"answer\":42}"));

    assertThat(
            TestDatabase.strings(
                url,
                "SELECT status || ' ' || output || ' ' || coalesce(lease_owner, '-') || ' '"
                    + " || lease_version || ' ' || coalesce(lease_expires_ms::text, '-') FROM"
                    + " agentrt_runs"))
        .containsExactly("COMPLETED {\"answer\":42} - 1 -");
    assertThat(
            TestDatabase.strings(
                url,
                "SELECT event || ' ' || owner || ' ' || lease_version FROM agentrt_run_events"
                    + " ORDER BY id"))
        .containsExactly("created engine-a 1", "released engine-a 1");
    log.close(); // closed by finish: no second release
    try (RunLog other = b.open("r1")) {
      assertThat(other.run().status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void appendDeferrable_heldUntilTheNextWrite_thenCommittedBeforeIt() {
    StepRecord start = step("r1", "start#0", json("null"));
    StepRecord first = step("r1", "a#0", json("1"));
    StepRecord exit = step("r1", "done#0", json("2"));
    RunLog log = a.create(run("r1"));
    log.appendDeferrable(start);
    assertThat(a.steps("r1")).as("deferred: not written yet").isEmpty();
    log.appendStep(first, List.of());
    assertThat(a.steps("r1")).containsExactly(start, first);
    log.appendDeferrable(exit);
    assertThat(a.steps("r1")).containsExactly(start, first);
    log.finish(RunStatus.COMPLETED, null, null, null, json("2"));
    assertThat(a.steps("r1")).containsExactly(start, first, exit);
    assertThat(a.find("r1").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void appendDeferrable_writeThatWouldCarryItRefused_stepNeverWrittenAndRedoneByTheNewOwner() {
    RunLog stale = a.create(run("r1"));
    StepRecord start = step("r1", "start#0", json("null"));
    stale.appendDeferrable(start);
    clock.advance(Duration.ofSeconds(16));
    RunLog taken = b.open("r1");
    assertThat(taken.steps()).isEmpty();

    assertThatThrownBy(() -> stale.appendCall(call("r1", "a#0", 0, "fx")))
        .isInstanceOf(RunOwnedException.class);
    stale.close();
    assertThat(a.steps("r1")).isEmpty();
    assertThat(a.calls("r1")).isEmpty();

    taken.appendDeferrable(start);
    taken.finish(RunStatus.COMPLETED, null, null, null, json("1"));
    assertThat(a.steps("r1")).containsExactly(start);
  }

  @Test
  void renewal_ofALeaseTakenOver_dropsTheLogFromTheHeartbeat() {
    RunLog stale = a.create(run("r1"));
    clock.advance(Duration.ofSeconds(16));
    try (RunLog taken = b.open("r1")) {
      assertThat(taken.run().runId()).isEqualTo("r1");
      a.internals().renewLeases();
      clock.advance(Duration.ofSeconds(10));

      assertThatThrownBy(() -> a.open("r1"))
          .as("engine-a's renewal did not touch engine-b's lease (expires 10:00:31)")
          .isInstanceOfSatisfying(
              RunOwnedException.class,
              e -> assertThat(e.leaseExpiresAt()).isEqualTo(Instant.parse("2026-03-01T10:00:31Z")));
    }
    stale.close();
  }
}
