package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What admission costs per run: a one-step run through {@code run} (the caller's thread) and {@code
 * start} + {@code await} (a run thread), without a scheduler ({@code none}), with a slot always
 * free ({@code free}: {@code max_concurrency: 64}), and with {@code enqueue} on the in-memory store
 * ({@code enqueue}: stored as queued, claimed, then run). The scheduler's overhead per run is a
 * mode's score minus {@code none}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SchedulerBenchmark {
  @Param({"none", "free", "enqueue"})
  String mode;

  private Path dir;
  private AgentRuntime runtime;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Workflows.newConfigDir();
    Workflows.write(dir, "one", Workflows.chain("one", 1, "noop", "function"));
    if (!mode.equals("none")) {
      Files.writeString(dir.resolve("config.yml"), "scheduler: {max_concurrency: 64}\n");
    }
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(
                mode.equals("enqueue") ? CheckpointStore.inMemory(1000) : CheckpointStore.none())
            .build();
    if (!run().isCompleted()) throw new IllegalStateException("the run did not complete");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runtime.close();
    Workflows.deleteRecursively(dir);
  }

  /** A run on the caller's thread (through a slot unless {@code none}). */
  @Benchmark
  public RunResult run() {
    if (mode.equals("enqueue")) {
      RunHandle h = runtime.enqueue("one", null);
      return h.await();
    }
    return runtime.run("one", null);
  }

  /** A run on a thread of the runtime, awaited. */
  @Benchmark
  public RunResult start() {
    if (mode.equals("enqueue")) return runtime.enqueue("one", null).await();
    return runtime.start("one", null).await();
  }
}
