package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed (SIGKILL) in the middle of a {@code kind: tool} node's call, after the tool's effect
 * happened and before its result was recorded, resumed by new JVMs on the real SQLite store
 * (ARCHITECTURE §4, effect journal): a {@code non_idempotent} call is not repeated and the run
 * waits for a decision; an {@code idempotent} one is re-issued with the same idempotency key.
 */
class EffectDecisionIT {
  static final String RUN = "effect-run";
  static final String KEY = RUN + ":send#0:0";

  @TempDir Path dir;

  @Test
  void resume_nonIdempotentCallCutByKill_waitsForADecisionAndSkipCompletesWithoutASecondEffect()
      throws Exception {
    Path home = Files.createDirectories(dir.resolve("non-idempotent"));
    Path ledger = home.resolve("ledger");
    killMidCall(home, ledger, "non_idempotent");

    JsonNode waiting = resume(home, ledger, "non_idempotent", null);

    assertThat(waiting.get("status").asText()).as(waiting.toString()).isEqualTo("WAITING");
    assertThat(waiting.get("reason").asText()).isEqualTo("INDETERMINATE_EFFECT");
    assertThat(waiting.get("stepKey").asText()).isEqualTo("send#0");
    assertThat(waiting.get("message").asText())
        .contains(
            "tool 'ledger.send': call send#0:0 was started by an "
                + "earlier execution and its result was not recorded; the tool is non-idempotent, so it was not called again");
    assertThat(lines(ledger)).containsExactly(KEY);

    JsonNode done = resume(home, ledger, "non_idempotent", "skip");

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("output"))
        .isEqualTo(
            Fixtures.JSON.readTree(
                "{\"skipped\": true, \"tool\": \"ledger.send\", \"call\": \"send#0:0\"}"));
    assertThat(lines(ledger)).containsExactly(KEY);
    assertThat(CrashResumeIT.runStatus(home.resolve("runs.db"), RUN)).isEqualTo("COMPLETED");
    assertThat(CrashResumeIT.integrityCheck(home.resolve("runs.db"))).isEqualTo("ok");
  }

  @Test
  void resume_idempotentCallCutByKill_reissuesItWithTheSameKeyAndCompletes() throws Exception {
    Path home = Files.createDirectories(dir.resolve("idempotent"));
    Path ledger = home.resolve("ledger");
    killMidCall(home, ledger, "idempotent");

    JsonNode done = resume(home, ledger, "idempotent", null);

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("output").get("key").asText()).isEqualTo(KEY);
    assertThat(done.get("output").get("sent").asText()).isEqualTo("hello");
    assertThat(lines(ledger)).containsExactly(KEY, KEY);
    assertThat(CrashResumeIT.integrityCheck(home.resolve("runs.db"))).isEqualTo("ok");
  }

  /**
   * Starts the run in a child JVM and kills it (SIGKILL) once the tool has written its ledger line.
   */
  private static void killMidCall(Path home, Path ledger, String effect) throws Exception {
    Path agent = agentDir(home);
    ChildJvm child =
        ChildJvm.start(
            EffectDecisionMain.class, "start", agent.toString(), RUN, ledger.toString(), effect);
    try {
      // the tool prints 'sent KEY' once its ledger line is written, then blocks until killed
      assertThat(child.next(l -> l.startsWith("sent "), 60))
          .as(child.output())
          .isEqualTo("sent " + KEY);
    } finally {
      child.kill();
    }
    assertThat(lines(ledger)).containsExactly(KEY);
    assertThat(CrashResumeIT.runStatus(home.resolve("runs.db"), RUN)).isEqualTo("RUNNING");
  }

  /**
   * Resumes the run in a new child JVM (with {@code {"effect": decision}} unless null) and returns
   * its result.
   */
  private static JsonNode resume(Path home, Path ledger, String effect, String decision)
      throws Exception {
    String agent = home.resolve(".agent").toString();
    ChildJvm child =
        decision == null
            ? ChildJvm.start(
                EffectDecisionMain.class, "resume", agent, RUN, ledger.toString(), effect)
            : ChildJvm.start(
                EffectDecisionMain.class,
                "resume",
                agent,
                RUN,
                ledger.toString(),
                effect,
                decision);
    assertThat(child.exit(60)).as(child.output()).isZero();
    String result = child.last("result ");
    assertThat(result).as(child.output()).isNotNull();
    return Fixtures.json(result);
  }

  private static Path agentDir(Path home) throws Exception {
    Path workflows = Files.createDirectories(home.resolve(".agent/workflows"));
    Files.writeString(
        home.resolve(".agent/config.yml"),
        "checkpoint: {store: sqlite, path: '" + home.resolve("runs.db") + "', lease_ttl: 300ms}\n");
    Files.writeString(workflows.resolve("send.yml"), EffectDecisionMain.workflow());
    return home.resolve(".agent");
  }

  private static List<String> lines(Path ledger) throws Exception {
    return Files.exists(ledger) ? Files.readAllLines(ledger, StandardCharsets.UTF_8) : List.of();
  }
}
