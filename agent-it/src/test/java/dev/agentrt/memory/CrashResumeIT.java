package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs whose JVM is killed with SIGKILL at random moments are resumed by new JVMs (ARCHITECTURE
 * §4): they complete with the output of an uncrashed run, every step's effect happened (at least
 * once, and exactly once after de-duplication by idempotency key), every step is in the log exactly
 * once, the database stays intact, and a resumed run continues its budget.
 */
class CrashResumeIT {
  static final long SEED = 20261122L;

  /**
   * Trials of the randomized test: system property {@code agentrt.crash.trials}, 3 by default (set
   * in the parent POM), so that a normal {@code mvn verify} stays short; the trials cycle through
   * 1, 2 and 3 kills, so every default run kills a run once, twice and three times. {@code
   * -Dagentrt.crash.trials=20} is the full soak.
   */
  static final int TRIALS = Integer.getInteger("agentrt.crash.trials", 3);

  static final long STEP_MICROS = 300;
  static final String WORKFLOW = "crash";

  @TempDir Path dir;

  /** What happened in one trial. */
  record Trial(
      int kills,
      int midStepKills,
      int killsAfterCompletion,
      int duplicates,
      int leaseWaits,
      int resumes) {}

  @Test
  void resume_childKilledAtRandomMoments_completesWithUncrashedOutputAndEachEffectOnceByKey()
      throws Exception {
    RunResult reference = referenceRun(WORKFLOW, "");
    assertThat(reference.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(reference.steps()).hasSize(50);

    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Trial>> futures = new ArrayList<>();
    try {
      for (int n = 0; n < TRIALS; n++) {
        int trial = n;
        futures.add(pool.submit(() -> trial(trial, reference.output())));
      }
      int kills = 0;
      int midStep = 0;
      int duplicates = 0;
      int leaseWaits = 0;
      int resumes = 0;
      int afterCompletion = 0;
      for (Future<Trial> f : futures) {
        Trial t = f.get(120, TimeUnit.SECONDS);
        kills += t.kills();
        midStep += t.midStepKills();
        duplicates += t.duplicates();
        leaseWaits += t.leaseWaits();
        resumes += t.resumes();
        afterCompletion += t.killsAfterCompletion();
      }
      System.out.printf(
          "crash trials: %d, kills: %d (mid-step: %d, after the run completed: %d), duplicate effects: "
              + "%d, resumes: %d (waited for a lease: %d), %.1f s%n",
          TRIALS,
          kills,
          midStep,
          afterCompletion,
          duplicates,
          resumes,
          leaseWaits,
          (System.nanoTime() - t0) / 1e9);
      assertThat(kills).isGreaterThanOrEqualTo(TRIALS);
    } finally {
      pool.shutdownNow();
    }
  }

  private Trial trial(int n, JsonNode expectedOutput) throws Exception {
    Random random = new Random(SEED * 31 + n);
    Path home = Files.createDirectories(dir.resolve("trial-" + n));
    Path agent = agentDir(home, WORKFLOW, "");
    Path db = home.resolve("runs.db");
    Path ledger = home.resolve("ledger");
    String runId = "trial-" + n;
    String[] args = {
      agent.toString(), runId, WORKFLOW, ledger.toString(), Long.toString(STEP_MICROS)
    };

    int kills = 0;
    int midStep = 0;
    int orphans = 0;
    int leaseWaits = 0;
    int afterCompletion = 0;
    // One JVM to start the run and one to resume it after each planned kill (1 to 3 kills, by
    // trial number), all started at once: each builds its runtime and waits for its go file, so
    // the next one is released the moment the previous one is killed, while the killed JVM's lease
    // is still live. Where each kill lands is random (seeded).
    int planned = 1 + n % 3;
    List<ChildJvm> children = new ArrayList<>();
    for (int i = 0; i <= planned; i++) {
      children.add(
          ChildJvm.start(
              CrashResumeMain.class,
              concat(concat(i == 0 ? "start" : "resume", args), go(home, i))));
    }
    for (ChildJvm c : children) ready(c);
    int lines = 1 + random.nextInt(40);
    int round = 0;
    JsonNode result = null;
    for (; round < children.size(); round++) {
      ChildJvm child = children.get(round);
      Files.createFile(Path.of(go(home, round)));
      boolean last = round == planned || lines == 0;
      if (!last && killAfter(child, lines, random.nextInt(1500))) {
        kills++;
        if (round > 0 && child.count("owned ") > 0) leaseWaits++;
        // what the killed JVM left: effects in the ledger, completed steps in the log
        Set<String> effects = new TreeSet<>(ledger(ledger, runId));
        effects.removeAll(completedSteps(db, runId));
        if (!effects.isEmpty()) midStep++;
        orphans += effects.size();
        if (runStatus(db, runId).equals("COMPLETED")) {
          afterCompletion++;
          break;
        }
        int remaining = 50 - steps(db, runId).size();
        lines = remaining > 6 ? 1 + random.nextInt(remaining - 5) : 0;
      } else {
        assertThat(child.exit(60)).as(child.output()).isZero();
        if (round > 0 && child.count("owned ") > 0) leaseWaits++;
        result = Fixtures.json(child.last("result "));
        break;
      }
    }
    for (int i = round + 1; i < children.size(); i++) children.get(i).kill();
    int resumes = Math.min(round, children.size() - 1);

    String where = "trial " + n + " (" + kills + " kills)";
    if (result != null) {
      assertThat(result.get("status").asText()).as(where).isEqualTo("COMPLETED");
      assertThat(result.get("output")).as(where).isEqualTo(expectedOutput);
    }
    assertThat(runStatus(db, runId)).as(where).isEqualTo("COMPLETED");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      assertThat(store.find(runId).orElseThrow().output()).as(where).isEqualTo(expectedOutput);
    }
    assertThat(steps(db, runId))
        .as(where + ": every step in the log exactly once")
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(false));
    List<String> effects = ledger(ledger, runId);
    assertThat(new TreeSet<>(effects))
        .as(where + ": every effect, de-duplicated by key")
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(true));
    int duplicates = effects.size() - new HashSet<>(effects).size();
    assertThat(duplicates)
        .as(where + ": duplicates are the effects whose step was not checkpointed at a kill")
        .isEqualTo(orphans);
    assertThat(integrityCheck(db)).isEqualTo("ok");
    return new Trial(kills, midStep, afterCompletion, duplicates, leaseWaits, resumes);
  }

  @Test
  void resume_budgetedRunKilledTwice_stopsAtTheHopOfAnUncrashedRun() throws Exception {
    String budget = "budget: {max_hops: 27}\n";
    RunResult reference = referenceRun("budgeted", budget);
    assertThat(reference.status()).isEqualTo(RunStatus.FAILED);
    assertThat(reference.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(reference.stepKey()).isEqualTo("b4#0");
    assertThat(reference.message())
        .isEqualTo(
            "budget max_hops exceeded: step 'b4#0' would be node execution 28 " + "(max_hops: 27)");

    Path home = Files.createDirectories(dir.resolve("budgeted"));
    Path agent = agentDir(home, "budgeted", budget);
    Path db = home.resolve("runs.db");
    Path ledger = home.resolve("ledger");
    // slow steps (20 ms), so that both kills land before the branch even on a loaded machine
    String[] args = {agent.toString(), "b", "budgeted", ledger.toString(), Long.toString(20_000)};
    assertThat(killAfter(ChildJvm.start(CrashResumeMain.class, concat("start", args)), 8, 200))
        .isTrue();
    assertThat(killAfter(ChildJvm.start(CrashResumeMain.class, concat("resume", args)), 6, 200))
        .isTrue();
    assertThat(steps(db, "b")).as("killed before the branch").hasSizeLessThan(20);
    ChildJvm last = ChildJvm.start(CrashResumeMain.class, concat("resume", args));
    assertThat(last.exit(60)).as(last.output()).isZero();

    JsonNode result = Fixtures.json(last.last("result "));
    assertThat(result.get("status").asText()).isEqualTo("FAILED");
    assertThat(result.get("reason").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(result.get("stepKey").asText()).isEqualTo("b4#0");
    assertThat(result.get("message").asText()).isEqualTo(reference.message());
    assertThat(result.get("hops").asLong()).isEqualTo(reference.usage().hops()).isEqualTo(28);
    assertThat(steps(db, "b"))
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(false).subList(0, 27));
    assertThat(new TreeSet<>(ledger(ledger, "b")))
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(true).subList(0, 25));
    assertThat(integrityCheck(db)).isEqualTo("ok");
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Reads {@code lines} step lines of the child, spins {@code micros} more and kills it; false (and
   * no kill) if the child's output ended first.
   */
  static boolean killAfter(ChildJvm child, int lines, int micros) throws Exception {
    for (int i = 0; i < lines; i++) {
      if (child.next(l -> l.startsWith("step "), 60) == null) return false;
    }
    long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
    while (System.nanoTime() < end) Thread.onSpinWait();
    child.kill();
    return true;
  }

  private RunResult referenceRun(String workflow, String budget) throws Exception {
    Path home = Files.createDirectories(dir.resolve("reference-" + workflow));
    Path agent = agentDir(home, workflow, budget);
    try (AgentRuntime rt =
        CrashResumeMain.runtime(agent, home.resolve("ledger"), STEP_MICROS)
            .runIds(() -> "reference")
            .build()) {
      return rt.run(workflow, CrashResumeMain.input(workflow));
    }
  }

  /** Writes {@code home/.agent}: the SQLite store at {@code home/runs.db} with a 300 ms lease. */
  static Path agentDir(Path home, String workflow, String budget) throws Exception {
    return agentDir(home, workflow, budget, "300ms");
  }

  /** Writes {@code home/.agent}: the SQLite store at {@code home/runs.db} with {@code leaseTtl}. */
  static Path agentDir(Path home, String workflow, String budget, String leaseTtl)
      throws Exception {
    Path agent = Files.createDirectories(home.resolve(".agent/workflows"));
    Files.writeString(
        home.resolve(".agent/config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + home.resolve("runs.db")
            + "', lease_ttl: "
            + leaseTtl
            + "}\n");
    Files.writeString(agent.resolve(workflow + ".yml"), CrashResumeMain.workflow(workflow, budget));
    return home.resolve(".agent");
  }

  /** The ledger's keys (without the run id), one per effect, in order. */
  static List<String> ledger(Path ledger, String runId) throws Exception {
    if (!Files.exists(ledger)) return List.of();
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
      assertThat(line).startsWith(runId + "/");
      keys.add(line.substring(runId.length() + 1));
    }
    return keys;
  }

  /** The step log of the run, read by a store of its own (the JVM that wrote it is gone). */
  static List<String> steps(Path db, String runId) {
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      return store.steps(runId).stream().map(StepRecord::stepKey).toList();
    }
  }

  static List<String> completedSteps(Path db, String runId) {
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      return store.steps(runId).stream()
          .filter(s -> s.status() == StepStatus.COMPLETED)
          .map(StepRecord::stepKey)
          .toList();
    }
  }

  static String runStatus(Path db, String runId) {
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      return store.find(runId).map(r -> r.status().name()).orElse("(none)");
    }
  }

  static String integrityCheck(Path db) throws Exception {
    return String.join("\n", Fixtures.strings(db, "PRAGMA integrity_check"));
  }

  private static String go(Path home, int round) {
    return home.resolve("go-" + round).toString();
  }

  /** Waits until the child has built its runtime and waits for its go file. */
  static ChildJvm ready(ChildJvm child) throws InterruptedException {
    assertThat(child.next("ready"::equals, 60)).as(child.output()).isEqualTo("ready");
    return child;
  }

  static String[] concat(String[] first, String last) {
    String[] all = Arrays.copyOf(first, first.length + 1);
    all[first.length] = last;
    return all;
  }

  static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
