package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

/** Tracing is on exactly when an SDK is given, and recognising that starts no span. */
class TracingEnabledTest {
  @Test
  void noopAndUnsetGlobal_areOff() {
    assertThat(new Tracing(OpenTelemetry.noop()).enabled).isFalse();
    assertThat(new Tracing(GlobalOpenTelemetry.get()).enabled).isFalse();
  }

  @Test
  void sdk_isOnAndNoSpanIsStartedToFindOut() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    int[] started = {0};
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .addSpanProcessor(
                        new io.opentelemetry.sdk.trace.SpanProcessor() {
                          @Override
                          public void onStart(
                              io.opentelemetry.context.Context parent,
                              io.opentelemetry.sdk.trace.ReadWriteSpan span) {
                            started[0]++;
                          }

                          @Override
                          public boolean isStartRequired() {
                            return true;
                          }

                          @Override
                          public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

                          @Override
                          public boolean isEndRequired() {
                            return false;
                          }
                        })
                    .build())
            .build()) {
      assertThat(new Tracing(sdk).enabled).isTrue();
      assertThat(started[0]).isZero();
    }
  }
}
