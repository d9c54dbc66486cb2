package dev.agentrt.telemetry.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LogRecordExporter} decorator that redacts each record's body (strings anywhere in a
 * structured body), attributes and event name before the real exporter sees it.
 */
public final class RedactingLogRecordExporter implements LogRecordExporter {
  private static final Logger log = LoggerFactory.getLogger(RedactingLogRecordExporter.class);

  private final LogRecordExporter delegate;
  private final Supplier<Redactor> redactors;

  public RedactingLogRecordExporter(LogRecordExporter delegate, Supplier<Redactor> redactors) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.redactors = Objects.requireNonNull(redactors, "redactors");
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    Redactor redactor = redactors.get();
    if (!redactor.isActive()) return delegate.export(logs);
    List<LogRecordData> out = new ArrayList<>(logs.size());
    for (LogRecordData r : logs) {
      try {
        out.add(redact(r, redactor));
      } catch (RuntimeException e) {
        log.warn("dropped a log record from export: redacting it failed", e);
      }
    }
    return delegate.export(out);
  }

  static LogRecordData redact(LogRecordData r, Redactor redactor) {
    Value<?> body = r.getBodyValue();
    Value<?> redactedBody = body == null ? null : redactor.redact(body);
    Attributes attributes = redactor.redact(r.getAttributes());
    String eventName = r.getEventName();
    String redactedEventName = eventName == null ? null : redactor.redact(eventName);
    if (redactedBody == body && attributes == r.getAttributes() && redactedEventName == eventName)
      return r;
    return new Redacted(r, redactedBody, attributes, redactedEventName);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "RedactingLogRecordExporter{" + delegate + "}";
  }

  private static final class Redacted implements LogRecordData {
    private final LogRecordData delegate;
    private final @Nullable Value<?> body;
    private final Attributes attributes;
    private final @Nullable String eventName;

    Redacted(
        LogRecordData delegate,
        @Nullable Value<?> body,
        Attributes attributes,
        @Nullable String eventName) {
      this.delegate = delegate;
      this.body = body;
      this.attributes = attributes;
      this.eventName = eventName;
    }

    @Override
    public Resource getResource() {
      return delegate.getResource();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return delegate.getInstrumentationScopeInfo();
    }

    @Override
    public long getTimestampEpochNanos() {
      return delegate.getTimestampEpochNanos();
    }

    @Override
    public long getObservedTimestampEpochNanos() {
      return delegate.getObservedTimestampEpochNanos();
    }

    @Override
    public SpanContext getSpanContext() {
      return delegate.getSpanContext();
    }

    @Override
    public Severity getSeverity() {
      return delegate.getSeverity();
    }

    @Override
    public @Nullable String getSeverityText() {
      return delegate.getSeverityText();
    }

    @Override
    @Deprecated
    public Body getBody() {
      if (body == null) return Body.empty();
      return body.getType() == io.opentelemetry.api.common.ValueType.STRING
          ? Body.string((String) body.getValue())
          : Body.string(body.asString());
    }

    @Override
    public @Nullable Value<?> getBodyValue() {
      return body;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return delegate.getTotalAttributeCount();
    }

    @Override
    public @Nullable String getEventName() {
      return eventName;
    }
  }
}
