package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs}, {@code show}, {@code resume}, {@code replay} and {@code fork} against a SQLite
 * checkpoint store. {@code run} then {@code runs}, {@code resume} of a run made by another process,
 * a run held by a live process and one whose process was killed run the shaded jar as child
 * processes, as a user would; the other commands run in this JVM ({@link Agentrt#execute}), on a
 * runtime of their own each, which spares a JVM start per command.
 */
class AgentrtRunsIT {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String NL = System.lineSeparator();

  /** Waits before {@code approve}; its output shows the input given to resume. */
  private static final String APPROVAL =
      """
      id: approval
      nodes:
        - {id: start, role: start}
        - id: approve
          kind: transform
          interrupt: before
          template: {name: "{{input.name}}", approved: "{{$resume.approve.ok}}"}
        - {id: done, role: exit, output: "{{approve}}"}
      edges:
        - {from: start, to: approve}
        - {from: approve, to: done}
      """;

  private static final String GREET =
      """
      id: greet
      nodes:
        - {id: start, role: start}
        - {id: hello, kind: transform, template: "Hello, {{input.name}}!"}
        - {id: done, role: exit, output: {greeting: "{{hello}}"}}
      edges:
        - {from: start, to: hello}
        - {from: hello, to: done}
      """;

  @TempDir Path dir;
  private Path config;
  private Path db;

  @BeforeEach
  void configDir() throws IOException {
    config = dir.resolve("agent");
    db = dir.resolve("runs.db");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"), "checkpoint: {store: sqlite, path: '" + db + "'}\n");
    Files.writeString(config.resolve("workflows/approval.yml"), APPROVAL);
    Files.writeString(config.resolve("workflows/greet.yml"), GREET);
  }

  @Test
  void run_interruptBefore_exits3WithRunIdAndRunsListsItWaiting() {
    Agentrt.Result r = cliProcess("run", "approval", "--json", "--input", "{\"name\":\"Ada\"}");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
    JsonNode run = parse(r.stdout());
    String runId = run.get("runId").asText();
    assertThat(runId).isNotBlank();
    assertThat(run.get("status").asText()).isEqualTo("WAITING");
    assertThat(run.get("reason").asText()).isEqualTo("INTERRUPTED");

    Agentrt.Result runs = cliProcess("runs", "--json");

    assertThat(runs.exitCode()).as(runs.stderr()).isZero();
    assertThat(runs.stderr()).isEmpty();
    JsonNode list = parse(runs.stdout());
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(1);
    JsonNode listed = list.get(0);
    assertThat(fieldNames(listed))
        .containsExactly("runId", "workflow", "status", "reason", "created", "updated", "usage");
    assertThat(listed.get("usage"))
        .isEqualTo(
            json(
                "{\"hops\":1,\"inputTokens\":0,\"outputTokens\":0,\"costUsd\":0.0,\"llmCalls\":0,\"toolCalls\":0}"));
    assertThat(listed.get("runId").asText()).isEqualTo(runId);
    assertThat(listed.get("workflow").asText()).isEqualTo("approval");
    assertThat(listed.get("status").asText()).isEqualTo("WAITING");
    assertThat(listed.get("reason").asText()).isEqualTo("INTERRUPTED");
    assertThat(listed.get("created").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  }

  @Test
  void runs_text_printsTableNewestFirstAndFilters() {
    String first = waitingRun();
    String second = completedGreet();

    Agentrt.Result all = cli("runs");

    assertThat(all.exitCode()).as(all.stderr()).isZero();
    String[] lines = all.stdout().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).matches("RUN +WORKFLOW +STATUS +REASON +CREATED +UPDATED");
    assertThat(lines[1]).matches(Pattern.quote(second) + " +greet +COMPLETED +- +\\S+Z +\\S+Z");
    assertThat(lines[2])
        .matches(Pattern.quote(first) + " +approval +WAITING +INTERRUPTED +\\S+Z +\\S+Z");

    assertThat(runIds(cli("runs", "--json", "--status", "waiting"))).containsExactly(first);
    assertThat(runIds(cli("runs", "--json", "--workflow", "greet"))).containsExactly(second);
    assertThat(runIds(cli("runs", "--json", "--limit", "1"))).containsExactly(second);
    assertThat(runIds(cli("runs", "--json", "--workflow", "approval", "--status", "COMPLETED")))
        .isEmpty();
  }

  @Test
  void runs_emptyStore_printsNoRuns() {
    Agentrt.Result r = cli("runs");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("(no runs)\n");
    assertThat(cli("runs", "--json").stdout()).isEqualTo("[]\n");
  }

  @Test
  void runs_badStatusOrLimit_exits2() {
    Agentrt.Result status = cli("runs", "--status", "done");
    Agentrt.Result limit = cli("runs", "--limit", "0");

    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.stderr())
        .isEqualTo(
            "Invalid value for option '--status': expected one of "
                + "[RUNNING, WAITING, COMPLETED, FAILED, CANCELLED, QUEUED] (case-insensitive) but was 'done'"
                + NL
                + "Try 'agentrt runs --help' for more information."
                + NL);
    assertThat(limit.exitCode()).isEqualTo(2);
    assertThat(limit.stderr())
        .isEqualTo(
            "--limit must be at least 1, was 0"
                + NL
                + "Try 'agentrt runs --help' for more information."
                + NL);
  }

  @Test
  void runs_memoryStore_saysWhyNoRunIsListed() throws IOException {
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");

    Agentrt.Result r = cli("runs");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("(no runs)\n");
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: config.yml sets checkpoint.store 'memory', which keeps no run after its"
                + " process ends; use checkpoint: {store: sqlite} to list, show and resume runs"
                + NL);
  }

  @Test
  void show_waitingRun_jsonListsRunAndStepsInLogOrder() {
    String runId = waitingRun();

    Agentrt.Result r = cli("show", runId, "--json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode run = parse(r.stdout());
    assertThat(fieldNames(run))
        .containsExactly(
            "runId",
            "workflow",
            "status",
            "reason",
            "created",
            "updated",
            "stepKey",
            "message",
            "input",
            "output",
            "usage",
            "steps",
            "warnings");
    assertThat(run.get("warnings")).isEmpty();
    assertThat(run.get("runId").asText()).isEqualTo(runId);
    assertThat(run.get("status").asText()).isEqualTo("WAITING");
    assertThat(run.get("reason").asText()).isEqualTo("INTERRUPTED");
    assertThat(run.get("stepKey").asText()).isEqualTo("approve#0");
    assertThat(run.get("message").asText())
        .isEqualTo("run waits before node 'approve' (step 'approve#0'): resume it with input");
    assertThat(run.get("input")).isEqualTo(json("{\"name\":\"Ada\"}"));
    assertThat(run.get("output").isNull()).isTrue();
    assertThat(run.get("usage"))
        .isEqualTo(
            json(
                "{\"hops\":1,\"inputTokens\":0,\"outputTokens\":0,\"costUsd\":0.0,\"llmCalls\":0,\"toolCalls\":0}"));
    assertThat(stepColumn(run, "key")).containsExactly("start#0", "approve#0");
    assertThat(stepColumn(run, "node")).containsExactly("start", "approve");
    assertThat(stepColumn(run, "status")).containsExactly("COMPLETED", "SUSPENDED");
    assertThat(stepColumn(run, "attempts")).containsExactly("1", "0");
    for (JsonNode step : run.get("steps")) {
      assertThat(fieldNames(step))
          .containsExactly(
              "key",
              "node",
              "status",
              "attempts",
              "started",
              "durationMs",
              "error",
              "output",
              "calls");
      assertThat(step.get("calls")).isEmpty();
    }
  }

  @Test
  void show_afterResume_textHasStatusUsageStepLogAndOutput() {
    String runId = waitingRun();
    assertThat(cli("resume", runId, "--input", "{\"ok\":true}").exitCode()).isZero();

    Agentrt.Result r = cli("show", runId);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .startsWith("Run " + runId + " of workflow approval\n  status:   COMPLETED\n  created:  ")
        .contains("  usage:    3 hops, 0 tokens (0 in, 0 out), $0.0000\n")
        .contains("\nInput:\n{\n  \"name\" : \"Ada\"\n}\n")
        .containsPattern("(?m)^  KEY +NODE +STATUS +ATTEMPTS +DURATION$")
        .containsPattern(
            "(?m)^  start#0 +start +COMPLETED +1 +"
                + Agentrt.DURATION
                + "\\n"
                + "  approve#0 +approve +SUSPENDED +0 +"
                + Agentrt.DURATION
                + "\\n"
                + "  approve#0 +approve +RESUMED +0 +"
                + Agentrt.DURATION
                + "\\n"
                + "  approve#0 +approve +COMPLETED +1 +"
                + Agentrt.DURATION
                + "\\n"
                + "  done#0 +done +COMPLETED +1 +"
                + Agentrt.DURATION
                + "$")
        .endsWith("\nOutput:\n{\n  \"name\" : \"Ada\",\n  \"approved\" : true\n}\n");
  }

  @Test
  void resume_inNewProcess_completesWithTheResumedInput() {
    String runId = waitingRun();

    Agentrt.Result r = cliProcess("resume", runId, "--input", "{\"ok\":true}", "--json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode run = parse(r.stdout());
    assertThat(fieldNames(run))
        .containsExactly("runId", "workflow", "status", "reason", "output", "steps", "durationMs");
    assertThat(run.get("runId").asText()).isEqualTo(runId);
    assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(run.get("output")).isEqualTo(json("{\"name\":\"Ada\",\"approved\":true}"));
    assertThat(stepColumn(run, "key")).containsExactly("start#0", "approve#0", "done#0");
    assertThat(runIds(cli("runs", "--json", "--status", "completed"))).containsExactly(runId);
  }

  @Test
  void resume_inputFromFile_textLikeRun() throws IOException {
    String runId = waitingRun();
    Path input = Files.writeString(dir.resolve("approve.json"), "{\"ok\": false}");

    Agentrt.Result r = cli("resume", runId, "--input", "@" + input);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .startsWith("approval: COMPLETED in ")
        .contains("  [run " + runId + "]\n")
        .containsPattern("(?m)^  approve#0 +COMPLETED +" + Agentrt.DURATION + "$")
        .endsWith("Output:\n{\n  \"name\" : \"Ada\",\n  \"approved\" : false\n}\n");
  }

  @Test
  void resume_completedRun_exits2WithMessage() {
    String runId = completedGreet();

    Agentrt.Result r = cli("resume", runId, "--input", "{\"ok\":true}");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo("agentrt: run '" + runId + "' is COMPLETED and cannot be resumed" + NL);
  }

  @Test
  void unknownRun_everyCommandExits2NamingTheStore() {
    String expected = "agentrt: no run 'nope' in the checkpoint store " + db + NL;
    for (String[] args :
        List.of(
            new String[] {"resume", "nope", "--input", "{}"},
            new String[] {"show", "nope"},
            new String[] {"replay", "nope", "--json"},
            new String[] {"fork", "nope", "--at", "start#0"})) {
      Agentrt.Result r = cli(args);

      assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr()).isEqualTo(2);
      if (List.of(args).contains("--json"))
        assertThat(r.stdout())
            .as(args[0])
            .isEqualTo(
                "{\"ok\":false,\"error\":\"no run 'nope' in the checkpoint store "
                    + db
                    + "\",\"exitCode\":2}\n");
      else assertThat(r.stdout()).as(args[0]).isEmpty();
      assertThat(r.stderr()).as(args[0]).isEqualTo(expected);
    }
  }

  @Test
  void unknownRun_memoryStore_saysWhy() throws IOException {
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");

    Agentrt.Result r = cli("show", "nope");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: no run 'nope' in the checkpoint store (config.yml sets checkpoint.store"
                + " 'memory', which keeps no run after its process ends; use checkpoint: {store: sqlite} to list, show and"
                + " resume runs)"
                + NL);
  }

  @Test
  void resume_runOwnedByALiveProcess_exits2NamingOwnerAndLeaseExpiry() {
    String runId = waitingRun();
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      RunLog held = store.open(runId);
      try {
        Agentrt.Result r = cliProcess("resume", runId, "--input", "{\"ok\":true}");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr())
            .matches(
                Pattern.quote(
                        "agentrt: checkpoint store "
                            + db
                            + ": run '"
                            + runId
                            + "' is owned by "
                            + store.ownerId()
                            + " since ")
                    + "\\S+Z \\(lease \\d+, expires \\S+Z; "
                    + Pattern.quote(
                        "resume it once that owner has finished, or once its lease has expired if it crashed)")
                    + "\\R");
        assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
      } finally {
        held.close();
      }
    }

    Agentrt.Result after = cli("resume", runId, "--input", "{\"ok\":true}", "--json");

    assertThat(after.exitCode()).as(after.stderr()).isZero();
    assertThat(parse(after.stdout()).get("output"))
        .isEqualTo(json("{\"name\":\"Ada\",\"approved\":true}"));
  }

  @Test
  void resume_runWhoseProcessWasKilled_refusedWhileTheLeaseLastsThenCompletesWithoutRedoingSteps()
      throws Exception {
    int items = 3000;
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + db
            + "'}\n"
            + "budget: {max_hops: 100000, max_duration: PT5M}\n");
    Files.writeString(
        config.resolve("workflows/many.yml"),
        """
        id: many
        nodes:
          - {id: start, role: start}
          - {id: each, role: split, items: input.items}
          - {id: work, kind: transform, template: "{{$index}}"}
          - {id: joined, role: merge}
          - {id: done, role: exit, output: {count: "{{input.n}}"}}
        edges:
          - {from: start, to: each}
          - {from: each, to: work}
          - {from: work, to: joined}
          - {from: joined, to: done}
        """);
    StringBuilder input = new StringBuilder("{\"n\": " + items + ", \"items\": [0");
    for (int i = 1; i < items; i++) input.append(',').append(i);
    Path inputFile = Files.writeString(dir.resolve("many.json"), input.append("]}"));

    String runId;
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      Process p =
          Agentrt.start("run", "many", "--input", "@" + inputFile, "--config", config.toString());
      try {
        runId = killAfterSomeSteps(store, p, items / 10);
      } finally {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    Agentrt.Result refused = cli("resume", runId);

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stdout()).isEmpty();
    Matcher m =
        Pattern.compile(
                Pattern.quote(
                        "agentrt: checkpoint store " + db + ": run '" + runId + "' is owned by ")
                    + "\\S+ since (\\S+Z) \\(lease \\d+, expires (\\S+Z); resume it once that owner has finished, or once its lease "
                    + "has expired if it crashed\\)\\R")
            .matcher(refused.stderr());
    assertThat(m.matches()).as(refused.stderr()).isTrue();
    assertThat(Instant.parse(m.group(2)))
        .as("the lease's expiry")
        .isAfter(Instant.parse(m.group(1)));
    // The killed process's lease (15 s, the default) lasts long enough for the refusal above on any
    // machine; rather than sleep until it runs out, let its time pass: its expiry moves into the
    // past.
    expireLease(runId);

    Agentrt.Result r = cli("resume", runId, "--json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr())
        .contains("run '" + runId + "': lease ", " expired at ", "; taken over by ");
    JsonNode run = parse(r.stdout());
    assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(run.get("output")).isEqualTo(json("{\"count\": " + items + "}"));
    assertThat(run.get("steps")).hasSize(items + 4);
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      List<StepRecord> log = store.steps(runId);
      Set<String> keys = new HashSet<>();
      for (StepRecord s : log)
        assertThat(keys.add(s.stepKey())).as("step %s is in the log twice", s.stepKey()).isTrue();
      assertThat(keys).hasSize(items + 4);
    }
  }

  /**
   * Moves the lease of {@code runId} (held by a killed process, which renews it no more) to have
   * expired a second ago, by the wall clock the CLI reads: what waiting for its expiry would do.
   */
  private void expireLease(String runId) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement u =
            c.prepareStatement("UPDATE runs SET lease_expires_ms = ? WHERE run_id = ?")) {
      u.setLong(1, System.currentTimeMillis() - 1000);
      u.setString(2, runId);
      assertThat(u.executeUpdate()).as("runs updated").isEqualTo(1);
    }
  }

  /**
   * Waits until the run {@code p} started has at least {@code steps} steps in the log, kills {@code
   * p}, returns the run id.
   */
  private static String killAfterSomeSteps(SqliteCheckpointStore store, Process p, int steps)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive())
          .as("the run finished before it could be killed; give it more items")
          .isTrue();
      List<RunRecord> running = store.list(RunQuery.builder().status(RunStatus.RUNNING).build());
      if (!running.isEmpty() && store.steps(running.get(0).runId()).size() >= steps) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return running.get(0).runId();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the run did not record " + steps + " steps within 60 s");
  }

  @Test
  void replay_resumedRun_givesTheSameOutputAndStepKeys() {
    String runId = waitingRun();
    JsonNode resumed = parse(cli("resume", runId, "--input", "{\"ok\":true}", "--json").stdout());

    Agentrt.Result r = cli("replay", runId, "--json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode replayed = parse(r.stdout());
    assertThat(replayed.get("runId").asText()).isEqualTo(runId);
    assertThat(replayed.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(replayed.get("output")).isEqualTo(resumed.get("output"));
    assertThat(stepColumn(replayed, "key")).isEqualTo(stepColumn(resumed, "key"));
    // nothing was written: the log is as resume left it
    assertThat(stepColumn(parse(cli("show", runId, "--json").stdout()), "status"))
        .containsExactly("COMPLETED", "SUSPENDED", "RESUMED", "COMPLETED", "COMPLETED");
  }

  @Test
  void replay_waitingRun_exits3LikeRun() {
    String runId = waitingRun();

    Agentrt.Result r = cli("replay", runId);

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
    assertThat(r.stdout())
        .startsWith("approval: WAITING (INTERRUPTED) at step approve#0 in ")
        .contains(
            "  [run "
                + runId
                + "]\n  run waits before node 'approve' (step 'approve#0'): resume it with input\n");
  }

  @Test
  void fork_atStep_createsANewRunThatCompletes() {
    String runId = waitingRun();
    JsonNode resumed = parse(cli("resume", runId, "--input", "{\"ok\":true}", "--json").stdout());

    Agentrt.Result r = cli("fork", runId, "--at", "done#0", "--json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode fork = parse(r.stdout());
    String forkId = fork.get("runId").asText();
    assertThat(forkId).isNotBlank().isNotEqualTo(runId);
    assertThat(fork.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(fork.get("output")).isEqualTo(resumed.get("output"));
    assertThat(stepColumn(fork, "key")).containsExactly("start#0", "approve#0", "done#0");
    assertThat(runIds(cli("runs", "--json"))).containsExactly(forkId, runId);
  }

  @Test
  void fork_atTheWaitingStep_waitsAgainAndResumesWithOtherInput() {
    String runId = waitingRun();
    cli("resume", runId, "--input", "{\"ok\":true}");

    Agentrt.Result r = cli("fork", runId, "--at", "approve#0", "--json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
    String forkId = parse(r.stdout()).get("runId").asText();
    assertThat(forkId).isNotEqualTo(runId);
    Agentrt.Result resumed = cli("resume", forkId, "--input", "{\"ok\":false}", "--json");
    assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
    assertThat(parse(resumed.stdout()).get("output"))
        .isEqualTo(json("{\"name\":\"Ada\",\"approved\":false}"));
  }

  @Test
  void fork_unknownStep_exits2ListingTheSteps() {
    String runId = completedGreet();

    Agentrt.Result r = cli("fork", runId, "--at", "helo#0");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            "agentrt: run '"
                + runId
                + "' has no step 'helo#0' (did you mean 'hello#0'?)"
                + " (its steps: start#0, hello#0, done#0)"
                + NL);
  }

  @Test
  void fork_withoutAt_exits2() {
    Agentrt.Result r = cli("fork", "some-run");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "Missing required option: '--at=STEP'"
                + NL
                + "Try 'agentrt fork --help' for more information."
                + NL);
  }

  /**
   * Starts {@code approval} for Ada in the store; it waits before {@code approve}. The run is made
   * in this JVM, with the runtime {@code agentrt run} uses on the same configuration, to spare a
   * process start per test: {@code agentrt run} itself is tested by {@link
   * #run_interruptBefore_exits3WithRunIdAndRunsListsItWaiting}.
   */
  private String waitingRun() {
    RunResult r = runInThisJvm("approval", Map.of("name", "Ada"));
    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.WAITING);
    return r.runId();
  }

  /**
   * A completed run of {@code greet} for Bo in the store, made in this JVM like {@link
   * #waitingRun}.
   */
  private String completedGreet() {
    RunResult r = runInThisJvm("greet", Map.of("name", "Bo"));
    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    return r.runId();
  }

  private RunResult runInThisJvm(String workflow, Map<String, Object> input) {
    try (AgentRuntime rt = AgentRuntime.builder().configDir(config).build()) {
      return rt.run(workflow, input);
    }
  }

  /** {@code agentrt args... --config <temp dir>}, in this JVM. */
  private Agentrt.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config.toString());
    return Agentrt.execute(all.toArray(String[]::new));
  }

  /**
   * {@link #cli} in a child process of the shaded jar: for {@code agentrt run} and {@code resume}
   * end to end, and for a run held by another process.
   */
  private Agentrt.Result cliProcess(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config.toString());
    return Agentrt.run(all.toArray(String[]::new));
  }

  private static List<String> runIds(Agentrt.Result runs) {
    assertThat(runs.exitCode()).as(runs.stderr()).isZero();
    List<String> ids = new ArrayList<>();
    for (JsonNode r : parse(runs.stdout())) ids.add(r.get("runId").asText());
    return ids;
  }

  private static List<String> stepColumn(JsonNode run, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode s : run.get("steps")) values.add(s.get(field).asText());
    return values;
  }

  private static JsonNode parse(String stdout) {
    try {
      return MAPPER.readTree(stdout);
    } catch (JsonProcessingException e) {
      throw new AssertionError("stdout is not one JSON value:\n" + stdout, e);
    }
  }

  private static JsonNode json(String text) {
    return parse(text);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
