package dev.agentrt.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
  @Test
  void register_collect_reportsMemoryThreadsClassesCpuAndGarbageCollection() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      AutoCloseable registration = JvmMetrics.register(provider.get("test"));
      System.gc(); // at least one collection to report (a request; collections may already have
      // happened)

      Collection<MetricData> metrics = reader.collectAllMetrics();
      Set<String> names = metrics.stream().map(MetricData::getName).collect(Collectors.toSet());
      assertThat(names)
          .contains(
              "jvm.memory.used",
              "jvm.thread.count",
              "jvm.class.count",
              "jvm.cpu.count",
              "jvm.gc.collections",
              "jvm.gc.time");
      MetricData gc =
          metrics.stream()
              .filter(m -> m.getName().equals("jvm.gc.collections"))
              .findFirst()
              .orElseThrow();
      assertThat(gc.getLongSumData().getPoints())
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.getAttributes().get(AttributeKey.stringKey("jvm.gc.name")))
                      .isNotBlank());
      assertThat(gc.getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum())
          .isPositive();
      registration.close();
    }
  }
}
