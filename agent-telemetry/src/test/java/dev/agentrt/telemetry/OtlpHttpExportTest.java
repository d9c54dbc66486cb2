package dev.agentrt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.event.RunEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real OTLP/HTTP exporter, configured through autoconfigure properties, against a receiver in
 * the test.
 */
class OtlpHttpExportTest {
  private static final String SECRET = "sk-live-7f3a9c2e";

  private OtlpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpReceiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private AgentTelemetry.Builder otlp() {
    return AgentTelemetry.builder()
        .environment(k -> null)
        .jvmMetrics(false)
        .property("otel.exporter.otlp.endpoint", receiver.endpoint())
        .property("otel.service.name", "otlp-test")
        .secrets(List.of(SECRET));
  }

  @Test
  void export_otlpTracesAndLogs_receiverDecodesSpansWithNamesAndRedactedAttributes()
      throws Exception {
    try (AgentTelemetry telemetry =
        otlp()
            .property("otel.traces.exporter", "otlp")
            .property("otel.logs.exporter", "otlp")
            .build()) {
      var tracer = telemetry.openTelemetry().getTracer("test");
      Span run =
          tracer
              .spanBuilder("agentrt.run triage")
              .setAttribute("agentrt.run.id", "r-1")
              .startSpan();
      Span node =
          tracer
              .spanBuilder("agentrt.node classify")
              .setParent(io.opentelemetry.context.Context.root().with(run))
              .setAttribute("agentrt.step.key", "classify#1")
              .setAttribute("api.key", SECRET)
              .startSpan();
      node.end();
      run.end();
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("test")
          .logRecordBuilder()
          .setBody("key " + SECRET)
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }

    List<OtlpReceiver.Request> traces = receiver.requests("/v1/traces");
    assertThat(traces)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/x-protobuf"));
    Map<String, Map<String, String>> spans =
        traces.stream()
            .map(r -> parseTraces(r.body()))
            .flatMap(req -> req.getResourceSpansList().stream())
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .collect(Collectors.toMap(s -> s.getName(), s -> strings(s.getAttributesList())));
    assertThat(spans).containsOnlyKeys("agentrt.run triage", "agentrt.node classify");
    assertThat(spans.get("agentrt.run triage")).containsEntry("agentrt.run.id", "r-1");
    assertThat(spans.get("agentrt.node classify"))
        .containsEntry("agentrt.step.key", "classify#1")
        .containsEntry("api.key", "[REDACTED]");
    var resource = parseTraces(traces.get(0).body()).getResourceSpans(0).getResource();
    assertThat(strings(resource.getAttributesList())).containsEntry("service.name", "otlp-test");

    List<OtlpReceiver.Request> logs = receiver.requests("/v1/logs");
    assertThat(logs).hasSize(1);
    var record =
        ExportLogsServiceRequest.parseFrom(logs.get(0).body())
            .getResourceLogs(0)
            .getScopeLogs(0)
            .getLogRecords(0);
    assertThat(record.getBody().getStringValue()).isEqualTo("key [REDACTED]");

    for (OtlpReceiver.Request r : receiver.requests()) {
      assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }
  }

  @Test
  void export_otlpMetrics_receiverGetsRunMetrics() throws Exception {
    try (AgentTelemetry telemetry = otlp().property("otel.metrics.exporter", "otlp").build()) {
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      telemetry.runListener().runStarted(new RunEvent.RunStarted("r-1", t, "triage", false));
      telemetry
          .runListener()
          .stepCompleted(
              new RunEvent.StepCompleted("r-1", t, "a#1", "a", 1, Duration.ofMillis(20)));
      telemetry.genAiMetrics().record("gpt-test", 10, 5, 0.5, 0.001);
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }

    List<String> names =
        receiver.requests("/v1/metrics").stream()
            .map(r -> parseMetrics(r.body()))
            .flatMap(req -> req.getResourceMetricsList().stream())
            .flatMap(rm -> rm.getScopeMetricsList().stream())
            .flatMap(sm -> sm.getMetricsList().stream())
            .map(Metric::getName)
            .distinct()
            .toList();
    assertThat(names)
        .contains(
            "agentrt.node.duration",
            "agentrt.runs.active",
            "gen_ai.client.token.usage",
            "gen_ai.client.operation.duration",
            "agentrt.cost.usd");
  }

  @Test
  void export_endpointButNoExporterConfigured_sendsNothing() {
    try (AgentTelemetry telemetry = otlp().build()) {
      assertThat(telemetry.sdkEnabled()).isTrue();
      Span span = telemetry.openTelemetry().getTracer("test").spanBuilder("x").startSpan();
      span.setAttribute(AttributeKey.stringKey("a"), "b");
      span.end();
      telemetry.genAiMetrics().record("m", 1, 1, 0.1, 0);
      assertThat(telemetry.flush(Duration.ofSeconds(5))).isTrue();
    }

    assertThat(receiver.requests()).isEmpty();
  }

  private static ExportTraceServiceRequest parseTraces(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not an OTLP trace request", e);
    }
  }

  private static ExportMetricsServiceRequest parseMetrics(byte[] body) {
    try {
      return ExportMetricsServiceRequest.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not an OTLP metrics request", e);
    }
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    return attributes.stream()
        .filter(kv -> kv.getValue().hasStringValue())
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }
}
