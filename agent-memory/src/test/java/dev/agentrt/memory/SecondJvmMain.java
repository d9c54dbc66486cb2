package dev.agentrt.memory;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.RunLog;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link SqliteCheckpointStoreIT}: opens the parent's database, writes a
 * run of its own, then tries to take the parent's run. Exit code 3 and "refused: MESSAGE" when the
 * run is owned elsewhere, 0 and "opened" when it could take it.
 */
public final class SecondJvmMain {
  private SecondJvmMain() {}

  public static void main(String[] args) {
    Path db = Path.of(args[0]);
    String runId = args[1];
    int exit;
    try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db, SqliteStoreOptions.builder().ownerId("child-jvm")
        .build())) {
      System.out.println("found " + store.find(runId).map(r -> r.status().name()).orElse("nothing"));
      try (RunLog log = store.create(Fixtures.run("child-run"))) {
        for (int i = 0; i < 50; i++) log.appendStep(Fixtures.step("child-run", "c#" + i, IntNode.valueOf(i)), List.of());
      }
      System.out.println("wrote child-run");
      try (RunLog log = store.open(runId)) {
        System.out.println("opened with " + log.steps().size() + " steps");
        exit = 0;
      } catch (CheckpointStoreException e) {
        System.out.println("refused: " + e.getMessage());
        exit = 3;
      }
    }
    System.out.flush();
    System.exit(exit);
  }
}
