package dev.agentrt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * Per-step engine overhead: one run of a linear chain of {@code steps} no-op function nodes (plus
 * start and exit), no checkpointing. Divide the score by {@code steps} for µs per step. {@code
 * stateSize} is the number of keys in the run input, to show the per-step cost does not grow with
 * the state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineStepBenchmark {
  @Param({"10", "100"})
  int steps;

  @Param({"0", "1000"})
  int stateSize;

  /**
   * {@code system}: the default UTC system clock. {@code fixed}: a clock that always reads the same
   * instant, to measure what reading the time costs per step ({@code -p clock=system,fixed}).
   */
  @Param({"system"})
  String clock;

  private Path dir;
  private AgentRuntime runtime;
  private JsonNode input;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workflows.newConfigDir();
    Workflows.write(dir, "chain", Workflows.chain("chain", steps, "noop", "function"));
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(CheckpointStore.none())
            .clock(
                clock.equals("fixed")
                    ? Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)
                    : Clock.systemUTC())
            .build();
    input = Workflows.input(stateSize);
    RunResult r = runtime.run("chain", input);
    if (!r.isCompleted() || r.steps().size() != steps + 2) {
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
    return runtime.run("chain", input);
  }
}
