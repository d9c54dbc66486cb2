package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Independent 10-step runs (no-op function chain, no checkpointing) on one shared runtime from 2
 * threads. Each invocation is a batch of 500 runs per thread, so one measured "operation" is a run
 * and the score is runs/s summed over both threads (1,000 runs per pair of invocations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ThroughputBenchmark {
  static final int RUNS_PER_INVOCATION = 500;

  private Path dir;
  private AgentRuntime runtime;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workflows.newConfigDir();
    Workflows.write(dir, "chain10", Workflows.chain("chain10", 10, "noop", "function"));
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(CheckpointStore.none())
            .build();
    RunResult r = runtime.run("chain10", null);
    if (!r.isCompleted())
      throw new IllegalStateException("unexpected run: " + r.status() + " " + r.message());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runtime.close();
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  @OperationsPerInvocation(RUNS_PER_INVOCATION)
  public void runs(Blackhole bh) {
    for (int i = 0; i < RUNS_PER_INVOCATION; i++) bh.consume(runtime.run("chain10", null));
  }
}
