package dev.agentrt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentrt.core.AgentrtException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Shutting down with an unreachable collector: bounded (2 s by default, configurable) and reported
 * in one warning line, never with the exporter's stack traces.
 */
class ShutdownTest {
  private static final Function<String, @Nullable String> NO_ENV = k -> null;

  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AgentTelemetry.class);
  private AgentTelemetry telemetry;
  private final Hanging hanging = new Hanging();

  @BeforeEach
  void capture() {
    warnings.start();
    logger.addAppender(warnings);
  }

  @AfterEach
  void release() {
    logger.detachAppender(warnings);
    if (telemetry != null) telemetry.close();
    hanging.finish(); // the exporter thread waiting on it ends with the test
  }

  /** An exporter whose exports never finish, like one retrying an endpoint that does not answer. */
  static final class Hanging implements SpanExporter {
    final CountDownLatch exporting = new CountDownLatch(1);
    private final List<CompletableResultCode> pending = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode never = new CompletableResultCode();
      pending.add(never);
      exporting.countDown();
      return never;
    }

    /**
     * Ends the exports that never finished (after the test), so that no exporter thread waits on.
     */
    void finish() {
      pending.forEach(CompletableResultCode::fail);
    }

    @Override
    public CompletableResultCode flush() {
      return new CompletableResultCode();
    }

    @Override
    public CompletableResultCode shutdown() {
      return new CompletableResultCode();
    }
  }

  /** An exporter whose exports fail at once, like one whose endpoint refuses connections. */
  static final class Refused implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofExceptionalFailure(
          new IllegalStateException("export failed", new ConnectException("Connection refused")));
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

  private List<String> warningLines() {
    return warnings.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  @Timeout(60) // a hang guard, not a timing assertion
  void close_exportNeverFinishes_returnsAtTheTimeoutWithOneWarningLine()
      throws InterruptedException {
    telemetry =
        AgentTelemetry.builder()
            .addSpanExporter(hanging)
            .jvmMetrics(false)
            .environment(NO_ENV)
            .shutdownTimeout(Duration.ofMillis(200))
            .build();
    telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().end();
    telemetry.flush(Duration.ZERO);
    assertThat(hanging.exporting.await(30, TimeUnit.SECONDS)).isTrue();

    telemetry.close();

    assertThat(warningLines())
        .containsExactly(
            "telemetry: exporting did not finish within 200 ms; what was not sent"
                + " is dropped (check that the OTLP endpoint in OTEL_EXPORTER_OTLP_ENDPOINT is reachable;"
                + " AGENTRT_OBS_SHUTDOWN_TIMEOUT sets how long to wait)");
    assertThat(warnings.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @Test
  void close_exportsFailed_oneWarningLineNamesTheCause() {
    telemetry =
        AgentTelemetry.builder()
            .addSpanExporter(new Refused())
            .jvmMetrics(false)
            .environment(NO_ENV)
            .build();
    telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().end();

    telemetry.close();

    assertThat(warningLines())
        .containsExactly(
            "telemetry: 1 export failed (ConnectException: Connection refused);"
                + " what was not sent is dropped (check that the OTLP endpoint in OTEL_EXPORTER_OTLP_ENDPOINT is reachable;"
                + " AGENTRT_OBS_SHUTDOWN_TIMEOUT sets how long to wait)");
    assertThat(warnings.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @Test
  void build_noSetting_shutdownTimeoutIsTwoSeconds() {
    telemetry = AgentTelemetry.builder().jvmMetrics(false).environment(NO_ENV).build();

    assertThat(telemetry.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void build_shutdownTimeoutVariable_overridesTheBuilder() {
    telemetry =
        AgentTelemetry.builder()
            .jvmMetrics(false)
            .shutdownTimeout(Duration.ofSeconds(9))
            .environment(k -> k.equals("AGENTRT_OBS_SHUTDOWN_TIMEOUT") ? "500ms" : null)
            .build();

    assertThat(telemetry.shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void build_shutdownTimeoutVariableIso_isParsed() {
    telemetry =
        AgentTelemetry.builder()
            .jvmMetrics(false)
            .environment(k -> k.equals("AGENTRT_OBS_SHUTDOWN_TIMEOUT") ? "PT5S" : null)
            .build();

    assertThat(telemetry.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void build_shutdownTimeoutVariableInMinutes_takesConfigYmlSyntax() {
    telemetry =
        AgentTelemetry.builder()
            .jvmMetrics(false)
            .environment(k -> k.equals("AGENTRT_OBS_SHUTDOWN_TIMEOUT") ? "1m" : null)
            .build();

    assertThat(telemetry.shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void build_shutdownTimeoutVariableNotADuration_failsNamingIt() {
    assertThatThrownBy(
            () ->
                AgentTelemetry.builder()
                    .jvmMetrics(false)
                    .environment(k -> k.equals("AGENTRT_OBS_SHUTDOWN_TIMEOUT") ? "soon" : null)
                    .build())
        .isInstanceOf(AgentrtException.class)
        .hasMessage(
            "AGENTRT_OBS_SHUTDOWN_TIMEOUT: 'soon' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or"
                + " ISO-8601 like PT30S)");
  }
}
