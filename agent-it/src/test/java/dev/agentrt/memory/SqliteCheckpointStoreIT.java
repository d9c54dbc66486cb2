package dev.agentrt.memory;

import static dev.agentrt.memory.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.testsupport.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one database file: both write, neither corrupts it, and a live lease fences the
 * other.
 */
class SqliteCheckpointStoreIT {
  @TempDir Path dir;

  @Test
  void secondJvm_opensRunOwnedByThisJvm_refusedWhileBothWriteWithoutCorruption() throws Exception {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store =
        SqliteCheckpointStore.open(
            db, SqliteStoreOptions.builder().ownerId("parent-jvm").build())) {
      RunLog log = store.create(run("r1"));
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Integer> appending =
          CompletableFuture.supplyAsync(
              () -> {
                int n = 0;
                while (!stop.get())
                  log.appendStep(Fixtures.step("r1", "p#" + n, IntNode.valueOf(n++)), List.of());
                return n;
              });

      Process child = childJvm(db, "r1");
      String out = read(child.getInputStream());
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      int appended = appending.get(10, TimeUnit.SECONDS);
      log.close();

      assertThat(child.exitValue()).as(out).isEqualTo(3);
      assertThat(out)
          .contains(
              "found RUNNING\n",
              "wrote child-run\n",
              "refused RunOwnedException: checkpoint store "
                  + db
                  + ": run 'r1' is owned by parent-jvm since ");
      assertThat(store.steps("child-run")).hasSize(50);
      assertThat(store.steps("r1"))
          .hasSize(appended)
          .extracting(StepRecord::stepKey)
          .first()
          .isEqualTo("p#0");
    }
    try (Connection c = Fixtures.jdbc(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo("ok");
    }
  }

  @Test
  void secondJvm_runReleasedByThisJvm_opensIt() throws Exception {
    Path db = dir.resolve("runs.db");
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
      try (RunLog log = store.create(run("r1"))) {
        log.appendStep(Fixtures.step("r1", "a#0", IntNode.valueOf(1)), List.of());
      }
      Process child = childJvm(db, "r1");
      String out = read(child.getInputStream());
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as(out).isZero();
      assertThat(out).contains("opened with 1 steps");
    }
  }

  @Test
  void killedJvm_runTakenOverAfterLeaseExpiry_everyStepWhole() throws Exception {
    Path db = dir.resolve("runs.db");
    Process child = childJvm(db, "crash", "crash");
    java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null && !line.equals("appended 200")) {
      // wait until the child has appended a while
    }
    assertThat(line).as("the child appended 200 steps").isEqualTo("appended 200");
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // The dead JVM's lease (500 ms) expires at most 500 ms after the kill: rather than wait for it,
    // the rescuer's clock runs 1 s ahead of the wall clock, past the expiry.
    try (SqliteCheckpointStore store =
        SqliteCheckpointStore.open(
            db,
            SqliteStoreOptions.builder()
                .ownerId("rescuer")
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)))
                .build())) {
      try (RunLog taken = store.open("crash")) {
        List<StepRecord> steps = taken.steps();
        assertThat(steps.size()).isGreaterThan(200);
        for (int i = 0; i < steps.size(); i++) {
          assertThat(steps.get(i).stepKey()).isEqualTo("s#" + i);
          assertThat(taken.calls("s#" + i)).as("the call committed with step %d", i).hasSize(1);
        }
        taken.appendStep(
            Fixtures.step("crash", "s#" + steps.size(), IntNode.valueOf(0)), List.of());
      }
      assertThat(
              Fixtures.count(
                  db,
                  "SELECT count(*) FROM run_events WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'crash') AND event = 'takeover' "
                      + "AND previous_owner = 'doomed-jvm' AND owner = 'rescuer'"))
          .isEqualTo(1);
    }
  }

  private static Process childJvm(Path db, String... args) throws Exception {
    List<String> cmd = ChildJvm.command(SecondJvmMain.class, db.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String read(InputStream in) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }
}
