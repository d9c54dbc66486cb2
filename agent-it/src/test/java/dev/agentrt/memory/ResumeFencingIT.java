package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs resume the same crashed run at the same moment: the lease lets exactly one proceed. */
class ResumeFencingIT {
  @TempDir Path dir;

  @Test
  void resume_twoJvmsAtOnceOnACrashedRun_oneCompletesTheOtherIsRefusedAsOwned() throws Exception {
    // a lease far longer than the run: the winner keeps it however slowly a loaded machine renews
    // it (the killed owner's lease is expired by hand below)
    Path agent = CrashResumeIT.agentDir(dir, "crash", "", "60s");
    Path db = dir.resolve("runs.db");
    Path ledger = dir.resolve("ledger");
    Path go = dir.resolve("go");
    // slow steps (20 ms): the winner still owns the run when the loser asks for it
    String[] args = {agent.toString(), "f", "crash", ledger.toString(), "20000"};
    assertThat(
            CrashResumeIT.killAfter(
                ChildJvm.start(CrashResumeMain.class, CrashResumeIT.concat("start", args)), 10, 0))
        .isTrue();

    String[] once = CrashResumeIT.concat(CrashResumeIT.concat("resume-once", args), go.toString());
    ChildJvm a = ChildJvm.start(CrashResumeMain.class, once);
    ChildJvm b = ChildJvm.start(CrashResumeMain.class, once);
    assertThat(a.next("ready"::equals, 60)).isEqualTo("ready");
    assertThat(b.next("ready"::equals, 60)).isEqualTo("ready");
    // both are ready; the killed owner's lease is made to have expired, as waiting for it would,
    // and both are released at once
    try (Connection c = Fixtures.jdbc(db);
        PreparedStatement u =
            c.prepareStatement("UPDATE runs SET lease_expires_ms = ? WHERE run_id = 'f'")) {
      u.setLong(1, System.currentTimeMillis() - 1000);
      assertThat(u.executeUpdate()).isEqualTo(1);
    }
    Files.createFile(go);
    int exitA = a.exit(60);
    int exitB = b.exit(60);

    assertThat(List.of(exitA, exitB))
        .as(a.output() + "\n---\n" + b.output())
        .containsExactlyInAnyOrder(0, CrashResumeMain.OWNED);
    ChildJvm winner = exitA == 0 ? a : b;
    ChildJvm loser = exitA == 0 ? b : a;
    JsonNode result = Fixtures.json(winner.last("result "));
    assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
    String winnerOwner =
        Fixtures.strings(
                db,
                "SELECT owner FROM run_events WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'f') AND event = 'takeover'")
            .get(0);
    assertThat(loser.last("owned "))
        .startsWith(winnerOwner + " ")
        .contains("checkpoint store " + db + ": run 'f' is owned by " + winnerOwner + " since ")
        .contains(
            "; resume it once that owner has finished, or once its lease has expired if it crashed)");
    assertThat(loser.count("step ")).as("the refused JVM executed nothing").isZero();

    assertThat(
            Fixtures.strings(
                db,
                "SELECT event FROM run_events WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'f') ORDER BY id"))
        .containsExactly("takeover", "released");
    assertThat(CrashResumeIT.steps(db, "f"))
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(false));
    assertThat(new TreeSet<>(CrashResumeIT.ledger(ledger, "f")))
        .containsExactlyInAnyOrderElementsOf(CrashResumeMain.stepKeys(true));
    assertThat(CrashResumeIT.integrityCheck(db)).isEqualTo("ok");
  }
}
