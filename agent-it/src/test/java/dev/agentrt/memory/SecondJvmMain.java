package dev.agentrt.memory;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.RunLog;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link SqliteCheckpointStoreIT}. {@code DB RUN}: opens the parent's
 * database, writes a run of its own, then tries to take the parent's run; exit code 3 and "refused
 * TYPE: MESSAGE" when the run is owned elsewhere, 0 and "opened" when it could take it. {@code DB
 * RUN crash}: creates the run with a 500 ms lease and appends steps (each with a call record) until
 * it is killed, printing "appended N" every 50 steps.
 */
public final class SecondJvmMain {
  private SecondJvmMain() {}

  public static void main(String[] args) {
    Path db = Path.of(args[0]);
    String runId = args[1];
    if (args.length > 2 && args[2].equals("crash")) appendUntilKilled(db, runId);
    int exit;
    try (SqliteCheckpointStore store =
        SqliteCheckpointStore.open(db, SqliteStoreOptions.builder().ownerId("child-jvm").build())) {
      System.out.println(
          "found " + store.find(runId).map(r -> r.status().name()).orElse("nothing"));
      try (RunLog log = store.create(Fixtures.run("child-run"))) {
        for (int i = 0; i < 50; i++)
          log.appendStep(Fixtures.step("child-run", "c#" + i, IntNode.valueOf(i)), List.of());
      }
      System.out.println("wrote child-run");
      try (RunLog log = store.open(runId)) {
        System.out.println("opened with " + log.steps().size() + " steps");
        exit = 0;
      } catch (CheckpointStoreException e) {
        System.out.println("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
        exit = 3;
      }
    }
    System.out.flush();
    System.exit(exit);
  }

  private static void appendUntilKilled(Path db, String runId) {
    SqliteCheckpointStore store =
        SqliteCheckpointStore.open(
            db,
            SqliteStoreOptions.builder()
                .ownerId("doomed-jvm")
                .leaseTtl(java.time.Duration.ofMillis(500))
                .build());
    RunLog log = store.create(Fixtures.run(runId));
    for (int i = 0; ; i++) {
      log.appendStep(
          Fixtures.step(runId, "s#" + i, IntNode.valueOf(i)),
          List.of(Fixtures.call(runId, "s#" + i, 0, "t")));
      if (i % 50 == 0) {
        System.out.println("appended " + i);
        System.out.flush();
      }
    }
  }
}
