package dev.agentrt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.manifest.TelemetrySpec;
import dev.agentrt.testsupport.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentTelemetryTest {
  private static final String SECRET = "sk-live-7f3a9c2e";
  private static final Function<String, @Nullable String> NO_ENV = k -> null;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private AgentTelemetry telemetry;

  @AfterEach
  void close() {
    if (telemetry != null) telemetry.close();
  }

  private AgentTelemetry.Builder inMemory() {
    return AgentTelemetry.builder()
        .addSpanExporter(spans)
        .addLogRecordExporter(logs)
        .jvmMetrics(false)
        .environment(NO_ENV)
        .clock(clock);
  }

  private static Manifests manifests(
      @Nullable String mode, List<String> redact, Set<String> secrets) {
    RuntimeConfig config =
        new RuntimeConfig(
            null, null, new TelemetrySpec(mode, redact), null, null, null, null, null, null);
    return new Manifests(Path.of("."), config, Map.of(), Map.of(), Map.of(), secrets);
  }

  private List<SpanData> exportedSpans() {
    assertThat(telemetry.flush(Duration.ofSeconds(5))).isTrue();
    return spans.getFinishedSpanItems();
  }

  private List<LogRecordData> exportedLogs() {
    assertThat(telemetry.flush(Duration.ofSeconds(5))).isTrue();
    return logs.getFinishedLogRecordItems();
  }

  private Tracer tracer() {
    return telemetry.openTelemetry().getTracer("test");
  }

  @Test
  void export_plantedSecretInDebugMode_redactedFromEverythingExported() {
    telemetry = inMemory().build();
    telemetry.configure(manifests("debug", List.of("ghp_[A-Za-z0-9]{8,}"), Set.of(SECRET)));

    Span span =
        tracer()
            .spanBuilder("chat " + SECRET)
            .setAttribute("api.key", SECRET)
            .setAttribute(
                AttributeKey.stringArrayKey("args"), List.of("--token", "ghp_abcdefgh1234"))
            .startSpan();
    span.addEvent(
        "retry " + SECRET, Attributes.of(AttributeKey.stringKey("why"), "401 for " + SECRET));
    telemetry.recordContent(span, ContentKind.PROMPT, "Authorization: Bearer " + SECRET);
    telemetry.recordContent(span, ContentKind.TOOL_RESULT, "token ghp_abcdefgh1234 printed");
    span.recordException(new IllegalStateException("bad key " + SECRET));
    span.setStatus(StatusCode.ERROR, "rejected " + SECRET);
    span.end();
    Logger logger = telemetry.openTelemetry().getLogsBridge().get("test");
    logger
        .logRecordBuilder()
        .setBody("calling with " + SECRET)
        .setAttribute(AttributeKey.stringKey("header"), "Bearer " + SECRET)
        .emit();

    List<SpanData> exported = exportedSpans();
    List<LogRecordData> exportedLogs = exportedLogs();

    assertThat(exported).hasSize(1);
    assertThat(exportedLogs).hasSize(1);
    String everything = exported + " " + exportedLogs;
    assertThat(everything).doesNotContain(SECRET).doesNotContain("ghp_abcdefgh1234");
    SpanData s = exported.get(0);
    assertThat(s.getName()).isEqualTo("chat [REDACTED]");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("api.key"))).isEqualTo("[REDACTED]");
    assertThat(s.getAttributes().get(AttributeKey.stringArrayKey("args")))
        .containsExactly("--token", "[REDACTED]");
    assertThat(s.getStatus().getDescription()).isEqualTo("rejected [REDACTED]");
    assertThat(s.getEvents())
        .extracting(EventData::getName)
        .containsExactly(
            "retry [REDACTED]", "gen_ai.content.prompt", "agentrt.tool.result", "exception");
    assertThat(s.getEvents().get(1).getAttributes().get(ContentKind.PROMPT.attributeKey()))
        .isEqualTo("Authorization: Bearer [REDACTED]");
    assertThat(exportedLogs.get(0).getBodyValue().asString()).isEqualTo("calling with [REDACTED]");
  }

  @Test
  void export_shippingMode_recordsNoContentAndDropsContentEventsAddedDirectly() {
    telemetry = inMemory().build();

    Span span = tracer().spanBuilder("chat").startSpan();
    telemetry.recordContent(span, ContentKind.PROMPT, "hello");
    span.addEvent(
        ContentKind.COMPLETION.eventName(),
        Attributes.of(ContentKind.COMPLETION.attributeKey(), "hi"));
    span.addEvent("gen_ai.choice");
    span.end();

    assertThat(telemetry.mode()).isEqualTo(TelemetryMode.SHIPPING);
    assertThat(exportedSpans().get(0).getEvents())
        .extracting(EventData::getName)
        .containsExactly("gen_ai.choice");
  }

  @Test
  void export_debugContentLongerThanLimit_isCapped() {
    telemetry = inMemory().mode(TelemetryMode.DEBUG).contentLimit(10).build();

    Span span = tracer().spanBuilder("chat").startSpan();
    span.addEvent(
        ContentKind.PROMPT.eventName(),
        Attributes.of(ContentKind.PROMPT.attributeKey(), "0123456789abcdef"));
    span.end();

    assertThat(
            exportedSpans()
                .get(0)
                .getEvents()
                .get(0)
                .getAttributes()
                .get(ContentKind.PROMPT.attributeKey()))
        .isEqualTo("0123456789...[6 more chars]");
  }

  @Test
  void setMode_atRuntime_switchesContentOnAndOffWithoutRestart() {
    telemetry = inMemory().build();

    recordPrompt("s1");
    telemetry.setMode(TelemetryMode.DEBUG);
    recordPrompt("d1");
    telemetry.setMode(TelemetryMode.SHIPPING);
    recordPrompt("s2");

    assertThat(exportedSpans())
        .extracting(s -> s.getName() + ":" + s.getEvents().size())
        .containsExactly("s1:0", "d1:1", "s2:0");
  }

  private void recordPrompt(String name) {
    Span span = tracer().spanBuilder(name).startSpan();
    telemetry.recordContent(span, ContentKind.PROMPT, "prompt of " + name);
    span.end();
  }

  @Test
  void mode_environmentVariable_overridesConfigurationButNotSetMode() {
    telemetry = inMemory().environment(k -> k.equals("AGENTRT_OBS_MODE") ? "Debug" : null).build();
    telemetry.configure(manifests("shipping", List.of(), Set.of()));

    assertThat(telemetry.mode()).isEqualTo(TelemetryMode.DEBUG);
    telemetry.setMode(TelemetryMode.SHIPPING);
    assertThat(telemetry.mode()).isEqualTo(TelemetryMode.SHIPPING);
  }

  @Test
  void build_environmentVariableNotAMode_failsNamingVariableAndValue() {
    assertThatThrownBy(() -> AgentTelemetry.builder().environment(k -> "verbose").build())
        .isInstanceOf(AgentrtException.class)
        .hasMessage(
            "AGENTRT_OBS_MODE: 'verbose' is not a telemetry mode (use 'shipping' or 'debug')");
  }

  @Test
  void openDebugWindow_clockPassesEnd_closesAgain() {
    telemetry = inMemory().build();

    telemetry.openDebugWindow(Duration.ofMinutes(5));
    recordPrompt("open");
    clock.advance(Duration.ofMinutes(4));
    assertThat(telemetry.debugEnabled()).isTrue();
    assertThat(telemetry.debugWindowEnd()).contains(Instant.parse("2026-01-01T00:05:00Z"));
    clock.advance(Duration.ofMinutes(1));
    recordPrompt("closed");

    assertThat(telemetry.debugEnabled()).isFalse();
    assertThat(telemetry.debugWindowEnd()).isEmpty();
    assertThat(telemetry.mode()).isEqualTo(TelemetryMode.SHIPPING);
    assertThat(exportedSpans())
        .extracting(s -> s.getName() + ":" + s.getEvents().size())
        .containsExactly("open:1", "closed:0");
  }

  @Test
  void runListener_runResumedAfterCrash_opensDefaultFiveMinuteWindow() {
    telemetry = inMemory().build();

    telemetry.runListener().runStarted(new RunEvent.RunStarted("r1", clock.instant(), "wf", true));

    assertThat(telemetry.debugWindowEnd()).contains(Instant.parse("2026-01-01T00:05:00Z"));
  }

  @Test
  void runListener_runResumedAfterWaitingInThisProcess_opensNoWindow() {
    telemetry = inMemory().build();
    var listener = telemetry.runListener();

    listener.runStarted(new RunEvent.RunStarted("r1", clock.instant(), "wf", false));
    listener.runSuspended(
        new RunEvent.RunSuspended(
            "r1",
            clock.instant(),
            "wf",
            "ask#1",
            dev.agentrt.core.FailureReason.values()[0],
            "waiting"));
    listener.runStarted(new RunEvent.RunStarted("r1", clock.instant(), "wf", true));

    assertThat(telemetry.debugEnabled()).isFalse();
  }

  @Test
  void create_noOpenTelemetryConfiguration_buildsNoSdkAndRecordsNothing() {
    assumeThat(System.getenv().keySet()).noneMatch(k -> k.startsWith("OTEL_"));
    telemetry = AgentTelemetry.builder().environment(NO_ENV).build();

    Span span = tracer().spanBuilder("x").startSpan();

    assertThat(telemetry.sdkEnabled()).isFalse();
    assertThat(span.isRecording()).isFalse();
    assertThat(telemetry.flush(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void redact_configuredSecret_isMasked() {
    telemetry =
        AgentTelemetry.builder().environment(NO_ENV).secrets(List.of("hunter2-pass")).build();

    assertThat(telemetry.redact("pw=hunter2-pass")).isEqualTo("pw=[REDACTED]");
  }
}
