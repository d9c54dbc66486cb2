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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of one run that branches to {@code width} function nodes, each sleeping 10 ms, then
 * merges. The ideal is 10 ms whatever the width: the branches run in parallel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOutBenchmark {
  @Param({"8", "64"})
  int width;

  private Path dir;
  private AgentRuntime runtime;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workflows.newConfigDir();
    Workflows.write(dir, "fan", Workflows.fanOut("fan", width, "sleep"));
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .function("sleep", Workflows.SLEEP_10MS)
            .checkpointStore(CheckpointStore.none())
            .build();
    RunResult r = runtime.run("fan", null);
    if (!r.isCompleted() || r.steps().size() != width + 4) {
      throw new IllegalStateException(
          "unexpected run: " + r.status() + " " + r.message() + " steps=" + r.steps().size());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runtime.close();
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  public RunResult run() {
    return runtime.run("fan", null);
  }
}
