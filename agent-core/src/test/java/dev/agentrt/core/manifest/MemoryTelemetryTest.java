package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's memory operations as metrics, and its searches outside a run as spans. */
class MemoryTelemetryTest {
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("agentrt.memory.operation");
  private static final AttributeKey<String> SCOPE = AttributeKey.stringKey("agentrt.memory.scope");
  private static final AttributeKey<String> OUTCOME =
      AttributeKey.stringKey("agentrt.memory.outcome");

  @TempDir Path root;
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private AgentRuntime rt;

  @BeforeEach
  void setUp() {
    ManifestFixture fx =
        new ManifestFixture(root.resolve("shop/.agent"))
            .workflow(ConfigSectionsTest.WF)
            // global names a backend that is absent: using it fails
            .config("memory:\n  global: {backend: jsonl}\n");
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    rt =
        AgentRuntime.builder()
            .configDir(fx.dir)
            .discovery(false)
            .memoryBackend(new MemoryConfigTest.Recording())
            .openTelemetry(sdk)
            .build();
  }

  @AfterEach
  void tearDown() {
    rt.close();
    sdk.close();
  }

  @Test
  void operations_areCountedAndTimedByOperationScopeAndOutcome() {
    MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
    MemorySpace task = MemorySpace.task("run-1");
    rt.memory().put(project, MemoryWrite.of("a", "x"));
    rt.memory().putAll(task, List.of(MemoryWrite.of("b", "y"), MemoryWrite.of("c", "z")));
    rt.memory().get(project, "a");
    rt.memory().delete(task, "b");
    rt.memory().search(MemoryQuery.of("x", project, task).withMode(SearchMode.SPARSE));
    rt.memory().prune();
    assertThatThrownBy(() -> rt.memory().get(rt.memorySpace(MemoryScope.GLOBAL), "k"))
        .isInstanceOf(MemoryException.class);

    Map<String, Long> expected = new TreeMap<>();
    expected.put("put project ok", 1L);
    expected.put("put task ok", 1L); // putAll is one operation
    expected.put("get project ok", 1L);
    expected.put("delete task ok", 1L);
    expected.put("search task,project ok", 1L);
    expected.put("prune - ok", 1L);
    expected.put("get global error", 1L);
    List<MetricData> all = List.copyOf(metrics.collectAllMetrics());
    assertThat(counts(all)).isEqualTo(expected);
    assertThat(histogramCounts(all)).isEqualTo(expected);
    MetricData duration = metric(all, "agentrt.memory.duration");
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(metric(all, "agentrt.memory.operations").getUnit()).isEqualTo("{operation}");
  }

  @Test
  void search_outsideAnySpan_isSpannedWithModeKScopesAndHits() {
    MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
    rt.memory().search(MemoryQuery.of("x", project).withMode(SearchMode.SPARSE).withK(7));

    List<SpanData> ended = spans.getFinishedSpanItems();
    assertThat(ended).extracting(SpanData::getName).containsExactly("agentrt.memory.search");
    Attributes a = ended.get(0).getAttributes();
    assertThat(a.get(AttributeKey.stringKey("agentrt.memory.mode"))).isEqualTo("sparse");
    assertThat(a.get(AttributeKey.longKey("agentrt.memory.k"))).isEqualTo(7L);
    assertThat(a.get(AttributeKey.stringArrayKey("agentrt.memory.scopes")))
        .containsExactly("project");
    assertThat(a.get(AttributeKey.longKey("agentrt.memory.hits"))).isEqualTo(0L);
  }

  @Test
  void search_underACurrentSpan_isNotSpannedAgain() {
    MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
    Span step = sdk.getTracer("test").spanBuilder("step").startSpan();
    Scope current = step.makeCurrent();
    try {
      rt.memory().search(MemoryQuery.of("x", project).withMode(SearchMode.SPARSE));
    } finally {
      current.close();
      step.end();
    }

    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("step");
    assertThat(counts(List.copyOf(metrics.collectAllMetrics())))
        .containsEntry("search project ok", 1L);
  }

  private static MetricData metric(List<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String key(Attributes a) {
    String scope = a.get(SCOPE);
    return a.get(OPERATION) + " " + (scope == null ? "-" : scope) + " " + a.get(OUTCOME);
  }

  private static Map<String, Long> counts(List<MetricData> all) {
    Map<String, Long> out = new TreeMap<>();
    for (LongPointData p : metric(all, "agentrt.memory.operations").getLongSumData().getPoints())
      out.put(key(p.getAttributes()), p.getValue());
    return out;
  }

  private static Map<String, Long> histogramCounts(List<MetricData> all) {
    Map<String, Long> out = new TreeMap<>();
    for (HistogramPointData p :
        metric(all, "agentrt.memory.duration").getHistogramData().getPoints())
      out.put(key(p.getAttributes()), p.getCount());
    return out;
  }
}
