package dev.agentrt.telemetry.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Counts the exports that failed and keeps why the first one did, so that shutting down can say it
 * in one line instead of the exporters' stack traces. Thread-safe.
 */
public final class ExportFailures {
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<@Nullable String> first = new AtomicReference<>();

  /** How many exports have failed so far. */
  public int count() {
    return failed.get();
  }

  /**
   * Why the first failed export failed ({@code ConnectException: ...}), if one did and said why.
   */
  public @Nullable String firstCause() {
    return first.get();
  }

  private CompletableResultCode watch(CompletableResultCode result) {
    result.whenComplete(
        () -> {
          if (result.isSuccess()) return;
          failed.incrementAndGet();
          Throwable t = result.getFailureThrowable();
          if (t != null) first.compareAndSet(null, describe(t));
        });
    return result;
  }

  /** The innermost cause, as {@code SimpleName: message} on one line. */
  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage();
    String text = root.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    return text.replaceAll("\\s+", " ").strip();
  }

  /** {@code exporter}, with its failed exports counted here. */
  public SpanExporter watch(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return watch(exporter.export(spans));
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }

      @Override
      public String toString() {
        return exporter.toString();
      }
    };
  }

  /** {@code exporter}, with its failed exports counted here. */
  public LogRecordExporter watch(LogRecordExporter exporter) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return watch(exporter.export(logs));
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }

      @Override
      public String toString() {
        return exporter.toString();
      }
    };
  }
}
