package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CheckpointStore} must have, as the SPI's Javadoc states it. A store's
 * test extends this class and implements {@link #open(Clock, Duration)}; a store whose runs are
 * shared by several instances (processes, engines) on one database also overrides {@link
 * #sharesAcrossInstances()}, {@link #openAnother(Clock, Duration)} and {@link
 * #stopRenewal(CheckpointStore)}, so that ownership, lease expiry and fencing between owners are
 * checked too. A store without a queue ({@link CheckpointStore#hasQueue()} false) skips the queue
 * cases.
 *
 * <p>Times are whole microseconds, so that a store that keeps microseconds (PostgreSQL) reads back
 * equal records. Nothing sleeps: leases expire by moving {@link #clock}.
 *
 * <p>Shipped in agent-core's test-jar: {@code <artifactId>agent-core</artifactId>
 * <type>test-jar</type> <scope>test</scope>}, with agent-test-support, JUnit 5 and AssertJ on the
 * test classpath.
 */
public abstract class CheckpointStoreContract {
  /** Where {@link #clock} starts. */
  protected static final Instant START = Instant.parse("2026-03-01T10:00:00.123456Z");

  /** The lease of the stores this contract opens. */
  protected static final Duration LEASE_TTL = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BudgetUsage ONE_HOP = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO);

  /** The time of every store this test opens; moves only when a case moves it. */
  protected final MutableClock clock = new MutableClock(START);

  /** The store under test, opened by {@link #open(Clock, Duration)} before each case. */
  protected CheckpointStore store;

  private final List<CheckpointStore> opened = new ArrayList<>();

  // ------------------------------------------------------------------ hooks

  /**
   * Opens the store under test on empty storage (a new file, schema or database), reading time from
   * {@code clock}; a lease it takes is valid for {@code leaseTtl}. Called once before each case;
   * the contract closes the store after the case.
   */
  protected abstract CheckpointStore open(Clock clock, Duration leaseTtl);

  /**
   * Whether two instances opened on one storage ({@link #openAnother}) see the same runs, each
   * instance an owner of its own with leases that expire: then ownership and fencing between owners
   * are checked. False (the default) for a store that lives in one instance's memory.
   */
  protected boolean sharesAcrossInstances() {
    return false;
  }

  /**
   * Opens a second instance on the storage of the store {@link #open} returned in this case, as
   * another engine or process would: another owner. Called only if {@link
   * #sharesAcrossInstances()}; closed by the contract.
   */
  protected CheckpointStore openAnother(Clock clock, Duration leaseTtl) {
    throw new UnsupportedOperationException(
        getClass().getName() + " shares runs across instances but does not override openAnother");
  }

  /**
   * Stops renewing the leases {@code instance} holds, as a stalled or crashed process would: once
   * {@link #clock} has moved past their expiry, another owner may take the runs over. Called only
   * if {@link #sharesAcrossInstances()}; the default does nothing (for stores that do not renew).
   */
  protected void stopRenewal(CheckpointStore instance) {}

  // ------------------------------------------------------------------ lifecycle

  @BeforeEach
  void openStore() {
    store = track(open(clock, LEASE_TTL));
  }

  @AfterEach
  void closeStores() {
    List<CheckpointStore> all = new ArrayList<>(opened);
    Collections.reverse(all);
    for (CheckpointStore s : all) s.close();
  }

  /** A second instance on the same storage; the case is skipped for a store that has none. */
  private CheckpointStore another() {
    assumeTrue(sharesAcrossInstances(), "the store keeps runs in one instance");
    return track(openAnother(clock, LEASE_TTL));
  }

  private CheckpointStore track(CheckpointStore s) {
    opened.add(s);
    return s;
  }

  private void assumeQueue() {
    assumeTrue(store.hasQueue(), "the store has no queue");
  }

  // ------------------------------------------------------------------ records

  /** A running run of workflow {@code wf}, created now. */
  protected RunRecord run(String runId) {
    return run(runId, "wf", RunStatus.RUNNING, 0, Map.of());
  }

  /** A queued run of priority {@code priority}, created now. */
  protected RunRecord queued(String runId, int priority) {
    return run(runId, "wf", RunStatus.QUEUED, priority, Map.of());
  }

  private RunRecord run(
      String runId, String workflowId, RunStatus status, int priority, Map<String, String> labels) {
    Instant now = clock.instant();
    return new RunRecord(
        runId,
        workflowId,
        "hash-" + workflowId,
        "0.1.0-contract",
        json("{\"request\":\"hello " + runId + "\"}"),
        status,
        null,
        null,
        null,
        NullNode.getInstance(),
        now,
        now,
        labels,
        null,
        null,
        priority,
        null,
        null);
  }

  /** A completed step of node {@code a} for {@code a#0}, started now. */
  protected StepRecord step(String runId, String stepKey, String output) {
    return new StepRecord(
        runId,
        stepKey,
        stepKey.replaceAll("#.*", ""),
        1,
        StepStatus.COMPLETED,
        json(output),
        null,
        clock.instant(),
        Duration.ofMillis(3),
        ONE_HOP);
  }

  /** A tool call record of {@code stepKey}. */
  protected CallRecord call(String runId, String stepKey, int index, String tool) {
    return new CallRecord(
        runId,
        stepKey,
        index,
        CallKind.TOOL,
        tool,
        "sha-" + stepKey + "-" + index,
        json("{\"arg\":" + index + "}"),
        json("{\"ok\":\"" + tool + "\"}"),
        new BudgetUsage(0, 0, 0, 0, 0, 1, Duration.ZERO),
        clock.instant(),
        Duration.ofMillis(1));
  }

  protected static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private void tick() {
    clock.advance(Duration.ofMillis(1));
  }

  private static void finish(RunLog log, RunStatus status) {
    log.updateStatus(status, null, null, null, NullNode.getInstance());
    log.close();
  }

  private List<String> ids(List<RunRecord> runs) {
    return runs.stream().map(RunRecord::runId).toList();
  }

  private @Nullable RunStatus status(String runId) {
    return store.find(runId).map(RunRecord::status).orElse(null);
  }

  // ------------------------------------------------------------------ runs, steps, calls

  @Test
  void create_appendStepsAndCalls_readBackInAppendOrder() {
    RunRecord r = run("r1");
    List<StepRecord> steps = new ArrayList<>();
    List<CallRecord> calls = new ArrayList<>();
    try (RunLog log = store.create(r)) {
      assertThat(log.run()).isEqualTo(r);
      assertThat(log.steps()).isEmpty();
      for (int i = 0; i < 3; i++) {
        tick();
        CallRecord during = call("r1", "n" + i + "#0", 0, "lookup");
        log.appendCall(during);
        calls.add(during);
        CallRecord withStep = call("r1", "n" + i + "#0", 1, "effect");
        StepRecord s = step("r1", "n" + i + "#0", "{\"i\":" + i + "}");
        log.appendStep(s, List.of(withStep));
        steps.add(s);
        calls.add(withStep);
      }
    }
    assertThat(store.find("r1")).contains(r);
    assertThat(store.steps("r1")).containsExactlyElementsOf(steps);
    assertThat(store.calls("r1")).containsExactlyElementsOf(calls);
  }

  @Test
  void appendStep_withStepRecords_visibleToCallsAndToALogOpenedLater() {
    CallRecord first = call("r1", "a#0", 0, "search");
    CallRecord effect = call("r1", "a#0", 1, "send_mail");
    CallRecord other = call("r1", "b#0", 0, "search");
    try (RunLog log = store.create(run("r1"))) {
      log.appendCall(first);
      assertThat(store.calls("r1")).containsExactly(first);
      log.appendStep(step("r1", "a#0", "1"), List.of(effect));
      assertThat(store.calls("r1")).containsExactly(first, effect);
      log.appendCall(other); // a step still running when the engine stopped
    }
    try (RunLog reopened = store.open("r1")) {
      assertThat(reopened.calls("a#0")).containsExactly(first, effect);
      assertThat(reopened.calls("b#0")).containsExactly(other);
      assertThat(reopened.calls("c#0")).isEmpty();
      assertThat(reopened.steps()).extracting(StepRecord::stepKey).containsExactly("a#0");
    }
  }

  @Test
  void updateStatus_recordsStatusReasonStepMessageOutputAndTime() {
    RunRecord r = run("r1");
    try (RunLog log = store.create(r)) {
      log.appendStep(step("r1", "a#0", "1"), List.of());
      clock.advance(Duration.ofSeconds(2));
      log.updateStatus(
          RunStatus.FAILED, FailureReason.NODE_FAILED, "b#0", "b failed: boom", json("{\"x\":1}"));
    }
    RunRecord stored = store.find("r1").orElseThrow();
    assertThat(stored)
        .isEqualTo(
            r.withStatus(
                RunStatus.FAILED,
                FailureReason.NODE_FAILED,
                "b#0",
                "b failed: boom",
                json("{\"x\":1}"),
                START.plusSeconds(2)));
  }

  @Test
  void updateStatus_waiting_openedLogSeesIt() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", "1"), List.of());
      log.updateStatus(RunStatus.WAITING, null, "b#0", null, NullNode.getInstance());
    }
    try (RunLog log = store.open("r1")) {
      assertThat(log.run().status()).isEqualTo(RunStatus.WAITING);
      assertThat(log.run().stepKey()).isEqualTo("b#0");
      assertThat(log.steps()).containsExactly(store.steps("r1").get(0));
    }
  }

  @Test
  void find_unknownRun_emptyAndNoStepsOrCalls() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.steps("nope")).isEmpty();
    assertThat(store.calls("nope")).isEmpty();
  }

  @Test
  void create_existingRunId_refused() {
    store.create(run("r1")).close();
    assertThatThrownBy(() -> store.create(run("r1")))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("r1");
  }

  @Test
  void list_newestFirst_filteredByWorkflowStatusLabelsSinceAndLimit() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tick();
      String id = "r" + i;
      RunRecord r =
          run(id, i % 2 == 0 ? "even" : "odd", RunStatus.RUNNING, 0, Map.of("n", "" + (i % 3)));
      RunLog log = store.create(r);
      if (i < 4) finish(log, RunStatus.COMPLETED);
      else log.close();
      created.add(id);
    }
    Collections.reverse(created);
    assertThat(ids(store.list(RunQuery.all()))).containsExactlyElementsOf(created);
    assertThat(store.summaries(RunQuery.all()).runs())
        .extracting(RunSummary::runId)
        .containsExactlyElementsOf(created);
    assertThat(store.summaries(RunQuery.all()).unreadable()).isEmpty();
    assertThat(ids(store.list(RunQuery.builder().workflowId("even").build())))
        .containsExactly("r4", "r2", "r0");
    assertThat(ids(store.list(RunQuery.builder().status(RunStatus.RUNNING).build())))
        .containsExactly("r5", "r4");
    assertThat(ids(store.list(RunQuery.builder().label("n", "1").build())))
        .containsExactly("r4", "r1");
    assertThat(ids(store.list(RunQuery.builder().label("n", "1").workflowId("odd").build())))
        .containsExactly("r1");
    assertThat(ids(store.list(RunQuery.builder().label("n", "9").build()))).isEmpty();
    assertThat(ids(store.list(RunQuery.builder().since(START.plusNanos(3_000_000)).build())))
        .containsExactly("r5", "r4", "r3", "r2");
    assertThat(ids(store.list(RunQuery.builder().limit(2).build()))).containsExactly("r5", "r4");
    assertThat(
            store.summaries(RunQuery.builder().status(RunStatus.COMPLETED).limit(3).build()).runs())
        .extracting(RunSummary::runId, RunSummary::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r3", RunStatus.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("r2", RunStatus.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("r1", RunStatus.COMPLETED));
  }

  @Test
  void delete_runNoEngineOwns_removesRunStepsAndCalls() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", "1"), List.of(call("r1", "a#0", 0, "t")));
      log.updateStatus(RunStatus.WAITING, null, "b#0", null, NullNode.getInstance());
    }
    store.create(run("r2")).close();

    assertThat(store.delete("r1")).isTrue();

    assertThat(store.find("r1")).isEmpty();
    assertThat(store.steps("r1")).isEmpty();
    assertThat(store.calls("r1")).isEmpty();
    assertThat(store.find("r2")).isPresent();
    assertThat(store.delete("r1")).isFalse();
    assertThatThrownBy(() -> store.open("r1")).isInstanceOf(RunNotFoundException.class);
  }

  @Test
  void delete_runAnEngineOwns_refusedAndKept() {
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(step("r1", "a#0", "1"), List.of());
      assertThatThrownBy(() -> store.delete("r1"))
          .isInstanceOf(CheckpointStoreException.class)
          .hasMessageContaining("r1");
      assertThat(store.steps("r1")).hasSize(1);
      log.appendStep(step("r1", "b#0", "2"), List.of());
    }
    assertThat(store.steps("r1")).hasSize(2);
  }

  @Test
  void delete_runOwnedByAnotherInstance_refused() {
    CheckpointStore b = another();
    try (RunLog log = b.create(run("r1"))) {
      assertThatThrownBy(() -> store.delete("r1")).isInstanceOf(CheckpointStoreException.class);
      log.appendStep(step("r1", "a#0", "1"), List.of());
    }
    assertThat(store.delete("r1")).isTrue();
  }

  @Test
  void open_runOwned_refusedUntilClosed() {
    RunLog log = store.create(run("r1"));
    assertThatThrownBy(() -> store.open("r1"))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("r1");
    log.appendStep(step("r1", "a#0", "1"), List.of());
    log.close();
    try (RunLog reopened = store.open("r1")) {
      assertThat(reopened.steps()).isEqualTo(store.steps("r1"));
    }
  }

  @Test
  void open_unknownRun_runNotFound() {
    assertThatThrownBy(() -> store.open("nope"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void open_runOwnedByAnotherInstance_refusedWithOwnerUntilReleased() {
    CheckpointStore b = another();
    RunLog log = store.create(run("r1"));
    assertThatThrownBy(() -> b.open("r1"))
        .isInstanceOf(RunOwnedException.class)
        .satisfies(e -> assertThat(((RunOwnedException) e).runId()).isEqualTo("r1"));
    log.close();
    try (RunLog taken = b.open("r1")) {
      taken.appendStep(step("r1", "a#0", "1"), List.of());
    }
    assertThat(store.steps("r1")).hasSize(1);
  }

  @Test
  void fencing_leaseExpiredAndTakenOver_firstOwnerWritesFailAndWriteNothing() {
    CheckpointStore b = another();
    RunLog first = store.create(run("r1"));
    StepRecord a = step("r1", "a#0", "1");
    first.appendStep(a, List.of());
    stopRenewal(store);
    // not expired yet: still owned
    clock.advance(LEASE_TTL.minusSeconds(1));
    assertThatThrownBy(() -> b.open("r1")).isInstanceOf(RunOwnedException.class);
    clock.advance(Duration.ofSeconds(2));

    RunLog second = b.open("r1");
    assertThat(second.steps()).containsExactly(a);

    assertThatThrownBy(
            () -> first.appendStep(step("r1", "b#0", "2"), List.of(call("r1", "b#0", 0, "fx"))))
        .isInstanceOf(RunOwnedException.class);
    assertThatThrownBy(() -> first.appendCall(call("r1", "b#0", 1, "late")))
        .isInstanceOf(RunOwnedException.class);
    assertThatThrownBy(
            () ->
                first.updateStatus(
                    RunStatus.FAILED,
                    FailureReason.NODE_FAILED,
                    "b#0",
                    "x",
                    NullNode.getInstance()))
        .isInstanceOf(RunOwnedException.class);

    assertThat(store.steps("r1")).containsExactly(a);
    assertThat(store.calls("r1")).isEmpty();
    assertThat(status("r1")).isEqualTo(RunStatus.RUNNING);

    StepRecord b2 = step("r1", "b#0", "3");
    second.appendStep(b2, List.of());
    second.updateStatus(RunStatus.COMPLETED, null, null, null, json("3"));
    first.close(); // releases nothing: the lease is no longer its
    assertThatThrownBy(() -> store.delete("r1")).isInstanceOf(CheckpointStoreException.class);
    second.close();
    assertThat(b.steps("r1")).containsExactly(a, b2);
    assertThat(store.find("r1").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  // ------------------------------------------------------------------ finish, deferred steps

  @Test
  void finish_recordsStatusAndReleasesTheRun() {
    RunRecord r = run("r1");
    StepRecord a = step("r1", "a#0", "1");
    RunLog log = store.create(r);
    log.appendStep(a, List.of());
    clock.advance(Duration.ofSeconds(2));
    log.finish(
        RunStatus.WAITING,
        FailureReason.INTERRUPTED,
        "b#0",
        "run waits before node 'b'",
        json("{\"x\":1}"));

    assertThat(store.find("r1").orElseThrow())
        .isEqualTo(
            r.withStatus(
                RunStatus.WAITING,
                FailureReason.INTERRUPTED,
                "b#0",
                "run waits before node 'b'",
                json("{\"x\":1}"),
                START.plusSeconds(2)));
    // released: the waiting run can be resumed at once, here and by another owner
    try (RunLog resumed = store.open("r1")) {
      assertThat(resumed.run().status()).isEqualTo(RunStatus.WAITING);
      assertThat(resumed.steps()).containsExactly(a);
    }
    if (sharesAcrossInstances()) {
      try (RunLog other = another().open("r1")) {
        assertThat(other.steps()).containsExactly(a);
      }
    }
  }

  @Test
  void finish_claimedRun_recordsStatusAndReleases() {
    assumeQueue();
    store.enqueue(queued("q1", 0));
    RunLog claimed = store.claim("q1").orElseThrow();
    claimed.appendStep(step("q1", "a#0", "1"), List.of());
    claimed.finish(RunStatus.COMPLETED, null, null, null, json("2"));
    assertThat(status("q1")).isEqualTo(RunStatus.COMPLETED);
    assertThat(store.find("q1").orElseThrow().output()).isEqualTo(json("2"));
    assertThat(store.claimNext()).isEmpty();
    store.open("q1").close(); // not owned any more
  }

  @Test
  void finish_afterTakeover_runOwnedAndNothingWritten() {
    CheckpointStore b = another();
    RunLog first = store.create(run("r1"));
    StepRecord a = step("r1", "a#0", "1");
    first.appendStep(a, List.of());
    stopRenewal(store);
    clock.advance(LEASE_TTL.plusSeconds(1));
    RunLog second = b.open("r1");

    assertThatThrownBy(
            () ->
                first.finish(
                    RunStatus.FAILED, FailureReason.NODE_FAILED, "b#0", "x", json("{\"y\":2}")))
        .isInstanceOf(RunOwnedException.class);

    RunRecord stored = store.find("r1").orElseThrow();
    assertThat(stored.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(stored.message()).isNull();
    assertThat(store.steps("r1")).containsExactly(a);
    // the new owner still owns the run
    assertThatThrownBy(() -> store.open("r1")).isInstanceOf(RunOwnedException.class);
    first.close(); // closed already: nothing happens
    assertThatThrownBy(() -> store.open("r1")).isInstanceOf(RunOwnedException.class);
    second.finish(RunStatus.COMPLETED, null, null, null, json("3"));
    assertThat(status("r1")).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void close_afterFinish_doesNothing() {
    RunLog log = store.create(run("r1"));
    log.appendStep(step("r1", "a#0", "1"), List.of());
    log.finish(RunStatus.WAITING, FailureReason.INTERRUPTED, "b#0", null, NullNode.getInstance());
    log.close();
    RunLog reopened = store.open("r1");
    log.close(); // must not give up the ownership of the log opened since
    assertThatThrownBy(() -> store.open("r1")).isInstanceOf(CheckpointStoreException.class);
    reopened.close();
    assertThat(status("r1")).isEqualTo(RunStatus.WAITING);
  }

  /** A step of a node that runs nothing (start, exit), as the engine appends it deferrable. */
  private StepRecord roleStep(String runId, String stepKey) {
    return new StepRecord(
        runId,
        stepKey,
        stepKey.replaceAll("#.*", ""),
        1,
        StepStatus.COMPLETED,
        NullNode.getInstance(),
        null,
        clock.instant(),
        Duration.ZERO,
        ONE_HOP);
  }

  @Test
  void appendDeferrable_thenAppendStep_bothWrittenInAppendOrder() {
    StepRecord start = roleStep("r1", "start#0");
    StepRecord a = step("r1", "a#0", "1");
    StepRecord marker = roleStep("r1", "m#0");
    StepRecord b = step("r1", "b#0", "2");
    try (RunLog log = store.create(run("r1"))) {
      log.appendDeferrable(start);
      log.appendStep(a, List.of(call("r1", "a#0", 0, "fx")));
      assertThat(store.steps("r1")).containsExactly(start, a);
      log.appendDeferrable(marker);
      log.appendStep(b, List.of());
      assertThat(store.steps("r1")).containsExactly(start, a, marker, b);
    }
    try (RunLog reopened = store.open("r1")) {
      assertThat(reopened.steps()).containsExactly(start, a, marker, b);
    }
  }

  @Test
  void appendDeferrable_thenAppendCallOrUpdateStatus_writtenWithThem() {
    StepRecord start = roleStep("r1", "start#0");
    StepRecord marker = roleStep("r1", "m#0");
    CallRecord c = call("r1", "a#0", 0, "search");
    try (RunLog log = store.create(run("r1"))) {
      log.appendDeferrable(start);
      log.appendCall(c);
      assertThat(store.steps("r1")).containsExactly(start);
      assertThat(store.calls("r1")).containsExactly(c);
      log.appendDeferrable(marker);
      log.updateStatus(RunStatus.RUNNING, null, "m#0", null, NullNode.getInstance());
      assertThat(store.steps("r1")).containsExactly(start, marker);
    }
  }

  @Test
  void appendDeferrable_thenClose_writtenWithTheRelease() {
    StepRecord a = step("r1", "a#0", "1");
    StepRecord marker = roleStep("r1", "m#0");
    RunLog log = store.create(run("r1"));
    log.appendStep(a, List.of());
    log.appendDeferrable(marker);
    log.close();
    assertThat(store.steps("r1")).containsExactly(a, marker);
    try (RunLog reopened = store.open("r1")) {
      assertThat(reopened.steps()).containsExactly(a, marker);
      assertThat(reopened.run().status()).isEqualTo(RunStatus.RUNNING);
    }
  }

  @Test
  void appendDeferrable_thenFinish_writtenWithTheStatus() {
    StepRecord start = roleStep("r1", "start#0");
    StepRecord a = step("r1", "a#0", "1");
    StepRecord exit = step("r1", "done#0", "{\"answer\":1}");
    RunLog log = store.create(run("r1"));
    log.appendDeferrable(start);
    log.appendStep(a, List.of());
    log.appendDeferrable(exit);
    log.finish(RunStatus.COMPLETED, null, null, null, json("{\"answer\":1}"));
    assertThat(store.steps("r1")).containsExactly(start, a, exit);
    assertThat(store.find("r1").orElseThrow().output()).isEqualTo(json("{\"answer\":1}"));
    assertThat(status("r1")).isEqualTo(RunStatus.COMPLETED);
    try (RunLog reopened = store.open("r1")) { // released with the status
      assertThat(reopened.steps()).containsExactly(start, a, exit);
    }
  }

  @Test
  void appendDeferrable_leaseLostBeforeTheNextWrite_neverWritten() {
    CheckpointStore b = another();
    RunLog first = store.create(run("r1"));
    StepRecord a = step("r1", "a#0", "1");
    first.appendStep(a, List.of());
    stopRenewal(store);
    clock.advance(LEASE_TTL.plusSeconds(1));
    RunLog second = b.open("r1");

    StepRecord late = roleStep("r1", "m#0");
    try {
      first.appendDeferrable(late); // a store that does not defer refuses it at once
    } catch (RunOwnedException e) {
      // as the write that would carry it below
    }
    assertThatThrownBy(() -> first.appendStep(step("r1", "b#0", "2"), List.of()))
        .isInstanceOf(RunOwnedException.class);
    first.close();
    assertThat(store.steps("r1")).containsExactly(a);

    StepRecord c = step("r1", "c#0", "3");
    second.appendStep(c, List.of());
    second.close();
    assertThat(b.steps("r1")).containsExactly(a, c);
    assertThat(status("r1")).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void appendDeferrable_parallelBranches_eachDeferredStepWrittenBeforeTheStepAfterIt()
      throws Exception {
    int branches = 4;
    int perBranch = 5;
    RunLog log = store.create(run("r1"));
    ExecutorService pool = Executors.newFixedThreadPool(branches);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < branches; t++) {
        int branch = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perBranch; i++) {
                    log.appendDeferrable(roleStep("r1", "m" + branch + "_" + i + "#0"));
                    log.appendStep(step("r1", "s" + branch + "_" + i + "#0", "1"), List.of());
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    log.close();
    List<String> keys = store.steps("r1").stream().map(StepRecord::stepKey).toList();
    assertThat(keys).hasSize(2 * branches * perBranch).doesNotHaveDuplicates();
    for (int t = 0; t < branches; t++) {
      for (int i = 0; i < perBranch; i++) {
        String suffix = t + "_" + i + "#0";
        assertThat(keys.indexOf("m" + suffix))
            .isNotNegative()
            .isLessThan(keys.indexOf("s" + suffix));
        if (i > 0) {
          assertThat(keys.indexOf("s" + t + "_" + (i - 1) + "#0"))
              .isLessThan(keys.indexOf("m" + suffix));
        }
      }
    }
  }

  // ------------------------------------------------------------------ queue

  @Test
  void enqueue_notQueued_refusedAndNothingStored() {
    assumeQueue();
    assertThatThrownBy(() -> store.enqueue(run("r1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("r1");
    assertThat(store.find("r1")).isEmpty();
  }

  @Test
  void enqueue_duplicateId_refused() {
    assumeQueue();
    RunRecord q = queued("q1", 0);
    store.enqueue(q);
    store.create(run("r1")).close();
    assertThatThrownBy(() -> store.enqueue(queued("q1", 3)))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("q1");
    assertThatThrownBy(() -> store.enqueue(queued("r1", 0)))
        .isInstanceOf(CheckpointStoreException.class)
        .hasMessageContaining("r1");
    assertThat(store.find("q1")).contains(q);
    assertThat(status("r1")).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void enqueue_storedQueuedAndUnowned() {
    assumeQueue();
    RunRecord q = queued("q1", 2);
    store.enqueue(q);
    assertThat(store.find("q1")).contains(q);
    assertThat(ids(store.list(RunQuery.builder().status(RunStatus.QUEUED).build())))
        .containsExactly("q1");
    assertThat(store.steps("q1")).isEmpty();
    assertThat(store.delete("q1")).isTrue(); // no engine owns a queued run
  }

  @Test
  void claim_queuedRun_runningAndOwnedOnce() {
    assumeQueue();
    RunRecord q = queued("q1", 0);
    store.enqueue(q);
    store.create(run("r1")).close();

    Optional<RunLog> claimed = store.claim("q1");
    assertThat(claimed).isPresent();
    try (RunLog log = claimed.get()) {
      assertThat(log.run().runId()).isEqualTo("q1");
      assertThat(log.run().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(log.run().input()).isEqualTo(q.input());
      assertThat(log.steps()).isEmpty();
      assertThat(status("q1")).isEqualTo(RunStatus.RUNNING);
      assertThat(store.claim("q1")).isEmpty();
      assertThatThrownBy(() -> store.open("q1")).isInstanceOf(CheckpointStoreException.class);
      assertThatThrownBy(() -> store.delete("q1")).isInstanceOf(CheckpointStoreException.class);
      log.appendStep(step("q1", "a#0", "1"), List.of());
      log.updateStatus(RunStatus.COMPLETED, null, null, null, json("1"));
    }
    assertThat(store.claim("q1")).isEmpty();
    assertThat(store.claim("r1")).isEmpty(); // not queued
    assertThat(store.claim("nope")).isEmpty();
    assertThat(store.steps("q1")).hasSize(1);
  }

  @Test
  void claim_fromAnotherInstance_atMostOnce() {
    assumeQueue();
    CheckpointStore b = another();
    store.enqueue(queued("q1", 0));
    try (RunLog log = b.claim("q1").orElseThrow()) {
      assertThat(store.claim("q1")).isEmpty();
      assertThat(store.claimNext()).isEmpty();
      assertThatThrownBy(() -> store.open("q1")).isInstanceOf(RunOwnedException.class);
      log.updateStatus(RunStatus.COMPLETED, null, null, null, NullNode.getInstance());
    }
  }

  @Test
  void claimNext_queuedRuns_highestPriorityFirstThenOldestFirst() {
    assumeQueue();
    String[][] order = {{"a", "0"}, {"b", "5"}, {"c", "0"}, {"d", "5"}, {"e", "-1"}, {"f", "0"}};
    for (String[] o : order) {
      tick();
      store.enqueue(queued(o[0], Integer.parseInt(o[1])));
    }
    List<String> claimed = new ArrayList<>();
    for (Optional<RunLog> next; (next = store.claimNext()).isPresent(); ) {
      RunLog log = next.get();
      assertThat(log.run().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(log.steps()).isEmpty();
      claimed.add(log.run().runId());
      finish(log, RunStatus.COMPLETED);
    }
    assertThat(claimed).containsExactly("b", "d", "a", "c", "f", "e");
  }

  @Test
  void claimNext_onlyHeldWaitingOrFinishedRuns_emptyAndHeldRunsPassedOver() {
    assumeQueue();
    assertThat(store.claimNext()).isEmpty();
    RunLog owned = store.create(run("running"));
    finish(store.create(run("done")), RunStatus.COMPLETED);
    RunLog w = store.create(run("waiting"));
    w.updateStatus(RunStatus.WAITING, null, "a#0", null, NullNode.getInstance());
    w.close();
    assertThat(store.claimNext()).isEmpty();
    // an older run an engine holds is passed over for a newer one nobody holds
    tick();
    store.create(run("released")).close();
    RunLog next = store.claimNext().orElseThrow();
    assertThat(next.run().runId()).isEqualTo("released");
    finish(next, RunStatus.COMPLETED);
    assertThat(store.claimNext()).isEmpty();
    owned.close();
  }

  @Test
  void claimNext_eightThreadsRacingOnFiftyRuns_eachRunClaimedExactlyOnce() throws Exception {
    assumeQueue();
    List<CheckpointStore> instances = new ArrayList<>(List.of(store));
    if (sharesAcrossInstances()) instances.add(another());
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = String.format("q%02d", i);
      store.enqueue(queued(id, i % 3));
      all.add(id);
    }
    List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        CheckpointStore s = instances.get(t % instances.size());
        workers.add(
            pool.submit(
                () -> {
                  go.await();
                  for (Optional<RunLog> next; (next = s.claimNext()).isPresent(); ) {
                    claimed.add(next.get().run().runId());
                    finish(next.get(), RunStatus.COMPLETED);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> w : workers) w.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(claimed)
        .hasSize(50)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(all);
    assertThat(store.list(RunQuery.builder().status(RunStatus.COMPLETED).build())).hasSize(50);
  }

  @Test
  void claim_queuedRunCancelledOrDeleted_neverClaimed() {
    assumeQueue();
    store.enqueue(queued("cancelled", 9));
    tick();
    store.enqueue(queued("deleted", 9));
    tick();
    store.enqueue(queued("kept", 0));
    // cancelling a queued run: claim it, record CANCELLED, let go
    try (RunLog log = store.claim("cancelled").orElseThrow()) {
      log.updateStatus(
          RunStatus.CANCELLED, FailureReason.CANCELLED, null, "cancelled", NullNode.getInstance());
    }
    assertThat(store.delete("deleted")).isTrue();

    assertThat(store.claim("cancelled")).isEmpty();
    assertThat(store.claim("deleted")).isEmpty();
    RunLog next = store.claimNext().orElseThrow();
    assertThat(next.run().runId()).isEqualTo("kept");
    finish(next, RunStatus.COMPLETED);
    assertThat(store.claimNext()).isEmpty();
    assertThat(status("cancelled")).isEqualTo(RunStatus.CANCELLED);
    assertThat(store.find("deleted")).isEmpty();
  }

  @Test
  void claimNext_runningRunWhoseLogWasClosed_claimedWithItsSteps() {
    assumeQueue();
    StepRecord a = step("r1", "a#0", "1");
    CallRecord c = call("r1", "b#0", 0, "search");
    try (RunLog log = store.create(run("r1"))) {
      log.appendStep(a, List.of());
      log.appendCall(c);
    } // released without a final status: an engine drained
    tick();
    store.enqueue(queued("q1", 0));

    RunLog first = store.claimNext().orElseThrow();
    assertThat(first.run().runId()).isEqualTo("q1"); // queued runs first
    RunLog resumed = store.claimNext().orElseThrow();
    assertThat(resumed.run().runId()).isEqualTo("r1");
    assertThat(resumed.run().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(resumed.steps()).containsExactly(a);
    assertThat(resumed.calls("b#0")).containsExactly(c);
    assertThat(store.claimNext()).isEmpty();
    finish(resumed, RunStatus.COMPLETED);
    finish(first, RunStatus.COMPLETED);
    assertThat(store.claimNext()).isEmpty();
  }

  @Test
  void claimNext_runningRunWhoseLeaseExpired_takenOverAndFirstOwnerFenced() {
    assumeQueue();
    CheckpointStore b = another();
    RunLog crashed = store.create(run("r1"));
    StepRecord a = step("r1", "a#0", "1");
    crashed.appendStep(a, List.of());
    stopRenewal(store);
    assertThat(b.claimNext()).isEmpty(); // lease still live
    clock.advance(LEASE_TTL.plusSeconds(1));

    RunLog taken = b.claimNext().orElseThrow();
    assertThat(taken.run().runId()).isEqualTo("r1");
    assertThat(taken.steps()).containsExactly(a);
    assertThat(b.claimNext()).isEmpty();
    assertThat(store.claimNext()).isEmpty();
    assertThatThrownBy(() -> crashed.appendStep(step("r1", "b#0", "2"), List.of()))
        .isInstanceOf(RunOwnedException.class);
    assertThat(store.steps("r1")).containsExactly(a);
    finish(taken, RunStatus.COMPLETED);
    crashed.close();
    assertThat(status("r1")).isEqualTo(RunStatus.COMPLETED);
  }

  // ------------------------------------------------------------------ prune

  @Test
  void prune_keepLast_deletesOnlyFinishedUnownedRunsBeyondTheNewest() {
    RunLog owned = createFinished("r0", RunStatus.COMPLETED, false);
    createFinished("r1", RunStatus.COMPLETED, true);
    createFinished("r2", RunStatus.WAITING, true);
    createFinished("r3", RunStatus.FAILED, true);
    createFinished("r4", RunStatus.RUNNING, true); // released: claimable, not finished
    if (store.hasQueue()) {
      tick();
      store.enqueue(queued("r5", 0));
    } else {
      createFinished("r5", RunStatus.RUNNING, true);
    }
    createFinished("r6", RunStatus.CANCELLED, true);
    createFinished("r7", RunStatus.COMPLETED, true);

    // the newest 2 are r7 and r6; beyond them only finished, unowned runs go
    assertThat(store.prune(2, null)).isEqualTo(2);

    assertThat(ids(store.list(RunQuery.all()))).containsExactly("r7", "r6", "r5", "r4", "r2", "r0");
    assertThat(store.steps("r1")).isEmpty();
    assertThat(store.calls("r1")).isEmpty();
    assertThat(store.steps("r2")).hasSize(1);
    assertThat(store.prune(2, null)).isZero();
    owned.close();
    assertThat(store.prune(0, null)).isEqualTo(3); // r0, r6, r7
    assertThat(ids(store.list(RunQuery.all()))).containsExactly("r5", "r4", "r2");
  }

  @Test
  void prune_maxAge_deletesFinishedUnownedRunsLastChangedBeforeTheCutoff() {
    createFinished("old", RunStatus.COMPLETED, true);
    createFinished("oldWaiting", RunStatus.WAITING, true);
    createFinished("oldReleased", RunStatus.RUNNING, true);
    if (store.hasQueue()) store.enqueue(queued("oldQueued", 0));
    clock.advance(Duration.ofMinutes(30));
    createFinished("recent", RunStatus.FAILED, true);
    clock.advance(Duration.ofMinutes(30));

    assertThat(store.prune(null, Duration.ofMinutes(45))).isEqualTo(1);
    assertThat(store.find("old")).isEmpty();
    assertThat(store.find("recent")).isPresent();
    assertThat(store.find("oldWaiting")).isPresent();
    assertThat(store.find("oldReleased")).isPresent();
    if (store.hasQueue()) assertThat(store.find("oldQueued")).isPresent();
    assertThat(store.prune(null, Duration.ofMinutes(15))).isEqualTo(1);
    assertThat(store.find("recent")).isEmpty();
  }

  @Test
  void prune_maxAge_keepsAFinishedRunAnEngineStillOwns() {
    RunLog owned = createFinished("owned", RunStatus.COMPLETED, false);
    clock.advance(Duration.ofSeconds(5)); // within the lease
    assertThat(store.prune(null, Duration.ofSeconds(1))).isZero();
    assertThat(store.find("owned")).isPresent();
    owned.close();
    assertThat(store.prune(null, Duration.ofSeconds(1))).isEqualTo(1);
  }

  @Test
  void prune_bothRules_deleteTheUnionOfTheirRuns() {
    createFinished("a", RunStatus.COMPLETED, true);
    clock.advance(Duration.ofHours(2));
    createFinished("b", RunStatus.COMPLETED, true);
    createFinished("c", RunStatus.COMPLETED, true);
    createFinished("d", RunStatus.COMPLETED, true);
    // a is too old; b is beyond the newest two
    assertThat(store.prune(2, Duration.ofHours(1))).isEqualTo(2);
    assertThat(ids(store.list(RunQuery.all()))).containsExactly("d", "c");
  }

  @Test
  void prune_noRuleOrNegativeRule_nothingOrRefused() {
    createFinished("a", RunStatus.COMPLETED, true);
    assertThat(store.prune(null, null)).isZero();
    assertThatThrownBy(() -> store.prune(-1, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.prune(null, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find("a")).isPresent();
  }

  /** Creates a run one tick after the last with a step and a call, left in {@code status}. */
  private @Nullable RunLog createFinished(String id, RunStatus status, boolean close) {
    tick();
    RunLog log = store.create(run(id));
    log.appendStep(step(id, "a#0", "1"), List.of(call(id, "a#0", 0, "t")));
    if (status != RunStatus.RUNNING)
      log.updateStatus(status, null, null, null, NullNode.getInstance());
    if (close) {
      log.close();
      return null;
    }
    return log;
  }

  // ------------------------------------------------------------------ round trip

  private RunRecord everything(String runId, RunStatus status) {
    return new RunRecord(
        runId,
        "wf-full",
        "sha256-of-the-workflow",
        "0.1.0-contract",
        json("{\"request\":\"ünïcode ✓\",\"n\":[1,2,{\"deep\":true}]}"),
        status,
        null,
        null,
        null,
        NullNode.getInstance(),
        START.minusSeconds(60),
        START.minusSeconds(30),
        Map.of("team", "core", "tier", "gold"),
        BudgetLimits.builder()
            .maxHops(12)
            .maxDuration(Duration.ofMinutes(5))
            .maxTokens(10_000)
            .maxCostUsd(1.25)
            .maxLlmCalls(7)
            .maxToolCalls(9)
            .build(),
        START.plus(Duration.ofHours(1)).plusNanos(1000),
        7,
        "parent-run",
        "review#2");
  }

  @Test
  void create_everyFieldOfTheRecord_readBackEqual() {
    RunRecord r = everything("r1", RunStatus.RUNNING);
    store.create(r).close();
    assertThat(store.find("r1")).contains(r);
    assertThat(store.list(RunQuery.builder().label("tier", "gold").build())).containsExactly(r);
    try (RunLog log = store.open("r1")) {
      assertThat(log.run()).isEqualTo(r);
    }
  }

  @Test
  void enqueue_everyFieldOfTheRecord_readBackEqualAndClaimedWithThem() {
    assumeQueue();
    RunRecord q = everything("q1", RunStatus.QUEUED);
    store.enqueue(q);
    assertThat(store.find("q1")).contains(q);
    try (RunLog log = store.claim("q1").orElseThrow()) {
      RunRecord claimed = log.run();
      assertThat(claimed).isEqualTo(running(q, claimed.updatedAt()));
      assertThat(store.find("q1")).contains(running(q, store.find("q1").orElseThrow().updatedAt()));
    }
  }

  private static RunRecord running(RunRecord queued, Instant at) {
    return queued.withStatus(RunStatus.RUNNING, null, null, null, NullNode.getInstance(), at);
  }

  @Test
  void claimNext_extremePriorities_highestFirst() {
    assumeQueue();
    IntStream.of(-3, 0, 1_000_000, Integer.MIN_VALUE + 1, Integer.MAX_VALUE)
        .forEach(
            p -> {
              tick();
              store.enqueue(queued("p" + p, p));
            });
    List<Integer> order = new ArrayList<>();
    for (Optional<RunLog> next; (next = store.claimNext()).isPresent(); ) {
      order.add(next.get().run().priority());
      finish(next.get(), RunStatus.COMPLETED);
    }
    assertThat(order).containsExactly(Integer.MAX_VALUE, 1_000_000, 0, -3, Integer.MIN_VALUE + 1);
  }
}
