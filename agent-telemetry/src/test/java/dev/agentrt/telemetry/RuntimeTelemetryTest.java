package dev.agentrt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real workflows from a {@code .agent/} directory, traced and measured through AgentTelemetry. */
class RuntimeTelemetryTest {
  private static final String SECRET = "sk-live-7f3a9c2e";

  @TempDir Path dir;
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final AtomicLong activeDuringRun = new AtomicLong(-1);
  private AgentTelemetry telemetry;
  private AgentRuntime runtime;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("config.yml"),
        """
        checkpoint: {store: memory}
        models:
          default: {provider: scripted, model: m, api_key: "${env:TEST_API_KEY}"}
        telemetry: {mode: shipping, redact: ["ghp_[A-Za-z0-9]{8,}"]}
        """);
    Files.writeString(
        dir.resolve("workflows/triage.yml"),
        """
        id: triage
        nodes:
          - {id: start, role: start}
          - id: classify
            kind: transform
            template: {kind: "{{input.kind}}"}
          - {id: watch, kind: function, function: watch}
          - id: summary
            kind: transform
            template: "{{input.title}}"
          - {id: done, role: exit, output: "{{summary}}"}
        edges:
          - {from: start, to: classify}
          - {from: classify, to: watch}
          - {from: watch, to: summary}
          - {from: summary, to: done}
        """);
    Files.writeString(
        dir.resolve("workflows/leaky.yml"),
        """
        id: leaky
        nodes:
          - {id: start, role: start}
          - {id: call, kind: function, function: leak}
          - {id: done, role: exit}
        edges:
          - {from: start, to: call}
          - {from: call, to: done}
        """);
    telemetry =
        AgentTelemetry.builder()
            .addSpanExporter(spans)
            .addMetricReader(metrics)
            .jvmMetrics(false)
            .environment(k -> null)
            .build();
    runtime =
        telemetry.buildRuntime(
            AgentRuntime.builder()
                .configDir(dir)
                .environment(k -> k.equals("TEST_API_KEY") ? SECRET : null)
                .function(
                    "watch",
                    (input, ctx) -> {
                      activeDuringRun.set(activeRuns());
                      return TextNode.valueOf("ok");
                    })
                .function(
                    "leak",
                    (input, ctx) -> {
                      throw new IllegalStateException(
                          "provider rejected key " + SECRET + " and ghp_abcdefgh1234");
                    }));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    telemetry.close();
  }

  private List<SpanData> exported() {
    assertThat(telemetry.flush(Duration.ofSeconds(5))).isTrue();
    return spans.getFinishedSpanItems();
  }

  private Collection<MetricData> collect() {
    return metrics.collectAllMetrics();
  }

  private long activeRuns() {
    return collect().stream()
        .filter(m -> m.getName().equals("agentrt.runs.active"))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  @Test
  void run_transformWorkflow_exportsRunAndNodeSpansWithAttributes() {
    RunResult result = runtime.run("triage", Map.of("kind", "bug", "title", "Disk full"));

    assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
    List<SpanData> exported = exported();
    SpanData root =
        exported.stream()
            .filter(s -> s.getName().equals("agentrt.run triage"))
            .findFirst()
            .orElseThrow();
    assertThat(root.getAttributes().get(AttributeKey.stringKey("agentrt.run.id")))
        .isEqualTo(result.runId());
    assertThat(root.getAttributes().get(AttributeKey.stringKey("agentrt.workflow.id")))
        .isEqualTo("triage");
    List<SpanData> nodes =
        exported.stream().filter(s -> s.getName().startsWith("agentrt.node ")).toList();
    assertThat(nodes)
        .extracting(SpanData::getName)
        .contains("agentrt.node classify", "agentrt.node watch", "agentrt.node summary");
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.getTraceId()).isEqualTo(root.getTraceId());
              assertThat(n.getAttributes().get(AttributeKey.stringKey("agentrt.run.id")))
                  .isEqualTo(result.runId());
              assertThat(n.getAttributes().get(AttributeKey.stringKey("agentrt.step.key")))
                  .isNotBlank();
            });
    assertThat(exported).extracting(SpanData::getName).contains("agentrt.route");
  }

  @Test
  void run_stepFailsWithSecretInMessage_secretRedactedFromStatusAndExceptionEvents() {
    RunResult result = runtime.run("leaky", Map.of());

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    List<SpanData> exported = exported();
    assertThat(exported.toString())
        .doesNotContain(SECRET)
        .doesNotContain("ghp_abcdefgh1234")
        .contains("[REDACTED]");
    assertThat(exported)
        .anySatisfy(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
  }

  @Test
  void run_metrics_nodeDurationCountEqualsStepsAndActiveRunsReturnsToZero() {
    RunResult first = runtime.run("triage", Map.of("kind", "bug", "title", "a"));
    RunResult second = runtime.run("triage", Map.of("kind", "bug", "title", "b"));

    assertThat(activeDuringRun.get()).isEqualTo(1);
    Collection<MetricData> all = collect();
    long steps = first.steps().size() + second.steps().size();
    long durations =
        all.stream()
            .filter(m -> m.getName().equals("agentrt.node.duration"))
            .flatMap(m -> m.getHistogramData().getPoints().stream())
            .mapToLong(HistogramPointData::getCount)
            .sum();
    assertThat(durations).isEqualTo(steps);
    assertThat(activeRuns()).isZero();
    Map<String, Long> finished =
        all.stream()
            .filter(m -> m.getName().equals("agentrt.runs.finished"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .collect(
                Collectors.toMap(
                    p -> p.getAttributes().get(AttributeKey.stringKey("agentrt.run.status")),
                    LongPointData::getValue));
    assertThat(finished).containsExactly(Map.entry("completed", 2L));
  }
}
