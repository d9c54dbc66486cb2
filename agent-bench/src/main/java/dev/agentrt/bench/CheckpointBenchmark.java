package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.memory.SqliteCheckpointStore;
import dev.agentrt.memory.SqliteStoreOptions;
import dev.agentrt.memory.Synchronous;
import java.nio.file.Path;
import java.util.Locale;
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
 * Durable runs on the SQLite checkpoint store (agent-memory), each benchmark on a fresh database
 * file in a temporary directory:
 *
 * <ul>
 *   <li>{@code step}: one run of a chain of {@value #STEPS} no-op function nodes (plus start and
 *       exit, 102 checkpointed steps), score in µs per function step (run time / {@value #STEPS}),
 *       so it includes the run's creation, status update and lease release;
 *   <li>{@code concurrent}: the same runs from 64 threads on one runtime (2 cores), score in
 *       function steps per second summed over the threads;
 *   <li>{@code resume}: {@code AgentRuntime.resume(runId, null)} of a run waiting after {@value
 *       #RESUME_STEPS} completed steps (a new run before each, not timed): takes the lease, reads
 *       run and steps, re-walks them without executing anything, goes past the interrupt it waited
 *       at, executes the last node and records {@code COMPLETED}.
 * </ul>
 *
 * {@code synchronous} is the store's {@link Synchronous} ({@code -p synchronous=normal,full}).
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CheckpointBenchmark {
  static final int STEPS = 100;
  static final int RESUME_STEPS = 1_000;
  static final int SHORT_STEPS = 10;

  /**
   * A runtime on a SQLite store with the {@value #STEPS}-step chain and a 1,000-step waiting run.
   */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"normal"})
    String synchronous;

    Path dir;
    SqliteCheckpointStore store;
    AgentRuntime runtime;

    void open() {
      dir = Workflows.newConfigDir();
      Workflows.write(dir, "chain", Workflows.chain("chain", STEPS, "noop", "function"));
      Workflows.write(dir, "short", Workflows.chain("short", SHORT_STEPS, "noop", "function"));
      Workflows.write(dir, "wait", Workflows.chainThenWait("wait", RESUME_STEPS, "noop"));
      store =
          SqliteCheckpointStore.open(
              dir.resolve("var/runs.db"),
              SqliteStoreOptions.builder()
                  .synchronous(Synchronous.valueOf(synchronous.toUpperCase(Locale.ROOT)))
                  .build());
      runtime =
          AgentRuntime.builder()
              .configDir(dir)
              .function("noop", Workflows.NOOP)
              .checkpointStore(store)
              .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      runtime.close();
      Workflows.deleteRecursively(dir);
    }
  }

  /** The store, with the chain run once to check it. */
  public static class Chain extends Store {
    @Setup(Level.Trial)
    public void setUp() {
      open();
      RunResult r = runtime.run("chain", null);
      if (!r.isCompleted() || r.steps().size() != STEPS + 2) {
        throw new IllegalStateException(
            "unexpected run: " + r.status() + " " + r.message() + " steps=" + r.steps().size());
      }
    }
  }

  /**
   * The store, with one run waiting after {@value #RESUME_STEPS} steps: a new one before each
   * resume (a run resumed without input goes past the interrupt it waited at, to its end).
   */
  public static class Waiting extends Store {
    String runId;

    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    @Setup(Level.Invocation)
    public void waitingRun() {
      RunResult r = runtime.run("wait", null);
      if (r.status() != RunStatus.WAITING || r.steps().size() != RESUME_STEPS + 1) {
        throw new IllegalStateException(
            "unexpected run: " + r.status() + " " + r.message() + " steps=" + r.steps().size());
      }
      runId = r.runId();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(STEPS)
  public RunResult step(Chain s) {
    return s.runtime.run("chain", null);
  }

  /**
   * A run of {@value #SHORT_STEPS} function steps, per function step: the run's fixed cost
   * (creation, start and exit rows, final status, lease release) weighs ten times more than in
   * {@link #step}.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(SHORT_STEPS)
  public RunResult shortRunStep(Chain s) {
    return s.runtime.run("short", null);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(STEPS)
  @Threads(64)
  public RunResult concurrent(Chain s) {
    return s.runtime.run("chain", null);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public RunResult resume(Waiting s) {
    RunResult r = s.runtime.resume(s.runId, null);
    if (r.status() != RunStatus.COMPLETED)
      throw new IllegalStateException("unexpected resume: " + r.status() + " " + r.message());
    return r;
  }
}
