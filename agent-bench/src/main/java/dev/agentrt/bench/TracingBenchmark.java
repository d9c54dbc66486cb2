package dev.agentrt.bench;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.Collection;
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
 * Per-step cost of tracing: one run of a chain of 100 no-op function nodes, no checkpointing, with
 * tracing {@code off} (no SDK: the API is a no-op) or {@code on} (the SDK with a batch span
 * processor and an exporter that drops everything). (on - off) / 102 steps = the cost added per
 * step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TracingBenchmark {
  @Param({"off", "on"})
  String tracing;

  private Path dir;
  private AgentRuntime runtime;
  private OpenTelemetrySdk sdk;

  @Setup(Level.Trial)
  public void setUp() {
    dir = Workflows.newConfigDir();
    Workflows.write(dir, "chain", Workflows.chain("chain", 100, "noop", "function"));
    OpenTelemetry otel = OpenTelemetry.noop();
    if (tracing.equals("on")) {
      sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build())
                      .build())
              .build();
      otel = sdk;
    }
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .function("noop", Workflows.NOOP)
            .checkpointStore(CheckpointStore.none())
            .openTelemetry(otel)
            .build();
    RunResult r = runtime.run("chain", null);
    if (!r.isCompleted())
      throw new IllegalStateException("unexpected run: " + r.status() + " " + r.message());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runtime.close();
    if (sdk != null) sdk.close();
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  public RunResult run() {
    return runtime.run("chain", null);
  }

  /** Accepts every batch and keeps nothing. */
  static final class DroppingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
