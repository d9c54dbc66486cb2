package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Heap held per waiting run: starts N runs (default 10,000) of {@code start -> f1..f10 -> ask
 * (interrupt: before)} on a SQLite store ({@code sqlite}, the default) or the in-memory store
 * ({@code memory}, which holds the runs themselves), keeping nothing of them, and compares the used
 * heap after a full GC before and after. Prints bytes per run.
 *
 * <pre>
 * java -cp agent-bench/target/benchmarks.jar dev.agentrt.bench.WaitingRunsHeapMain [N [sqlite|memory]]
 * </pre>
 */
public final class WaitingRunsHeapMain {
  private static final int WARM_UP = 2_000;

  private WaitingRunsHeapMain() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String kind = args.length > 1 ? args[1] : "sqlite";
    if (!kind.equals("sqlite") && !kind.equals("memory"))
      throw new IllegalArgumentException("store must be sqlite or memory, was '" + kind + "'");
    Path dir = Workflows.newConfigDir();
    Workflows.write(dir, "wait", Workflows.chainThenWait("wait", 10, "noop"));
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(
                kind.equals("memory")
                    ? CheckpointStore.inMemory(n + WARM_UP)
                    : SqliteCheckpointStore.open(dir.resolve("var/runs.db")))
            .build()) {
      startWaiting(rt, WARM_UP); // warm-up: classes, JIT, caches, reader connections
      long before = usedAfterGc();
      long t0 = System.nanoTime();
      startWaiting(rt, n);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long after = usedAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%d waiting runs (%s store) in %d ms; used heap after GC %,d -> %,d bytes: %.1f"
              + " bytes/run%n",
          n,
          kind,
          ms,
          before,
          after,
          (after - before) / (double) n);
    } finally {
      Workflows.deleteRecursively(dir);
    }
  }

  private static void startWaiting(AgentRuntime rt, int n) {
    for (int i = 0; i < n; i++) {
      RunResult r = rt.run("wait", null);
      if (r.status() != RunStatus.WAITING)
        throw new IllegalStateException("unexpected run: " + r.status() + " " + r.message());
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
