package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
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
 * Loading and validating one large workflow: {@code AgentRuntime.build()} over a directory with a
 * chain of {@code nodes} transform nodes ({@code shape=chain}) or a branch to {@code nodes}
 * parallel transform nodes closed by a merge ({@code shape=branch}). YAML parsing, binding,
 * constraint validation and the graph checks; the score should grow linearly with {@code nodes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ValidationBenchmark {
  @Param({"1000", "10000"})
  int nodes;

  @Param({"chain", "branch"})
  String shape;

  private Path dir;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workflows.newConfigDir();
    Workflows.write(
        dir,
        "big",
        shape.equals("chain")
            ? Workflows.chain("big", nodes, "unused", "transform")
            : Workflows.fanOut("big", nodes, "noop"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  public Object build() {
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir)
            .discovery(false)
            .maxManifestBytes(64L << 20)
            .function("noop", Workflows.NOOP)
            .build()) {
      return rt.manifests();
    }
  }
}
