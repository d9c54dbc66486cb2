package dev.agentrt.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpanExporter} decorator through which every span passes before any real exporter sees
 * it: drops content events from spans that were not recorded in debug mode, redacts span names,
 * attributes, event names and attributes, link attributes and status descriptions, and caps the
 * size of content. Redaction comes before capping, so a secret cut in two is still masked.
 */
public final class SanitizingSpanExporter implements SpanExporter {
  private static final Logger log = LoggerFactory.getLogger(SanitizingSpanExporter.class);

  private final SpanExporter delegate;
  private final Supplier<Redactor> redactors;
  private final int contentLimit;

  public SanitizingSpanExporter(
      SpanExporter delegate, Supplier<Redactor> redactors, int contentLimit) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.redactors = Objects.requireNonNull(redactors, "redactors");
    this.contentLimit = contentLimit;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Redactor redactor = redactors.get();
    List<SpanData> out = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      try {
        out.add(sanitize(span, redactor));
      } catch (RuntimeException e) {
        // never export what could not be checked
        log.warn(
            "dropped span '{}' from export: sanitizing it failed",
            redactor.redact(span.getName()),
            e);
      }
    }
    return delegate.export(out);
  }

  SpanData sanitize(SpanData span, Redactor redactor) {
    boolean debug = DebugContent.DEBUG.equals(span.getAttributes().get(DebugContent.MODE));
    String name = redactor.redact(span.getName());
    Attributes attributes = redactor.redact(span.getAttributes());
    List<EventData> events = sanitizeEvents(span.getEvents(), debug, redactor);
    List<LinkData> links = sanitizeLinks(span.getLinks(), redactor);
    StatusData status = span.getStatus();
    String description = redactor.redact(status.getDescription());
    if (description != status.getDescription())
      status = StatusData.create(status.getStatusCode(), description);
    if (name == span.getName()
        && attributes == span.getAttributes()
        && events == span.getEvents()
        && links == span.getLinks()
        && status == span.getStatus()) {
      return span;
    }
    return new SanitizedSpanData(span, name, attributes, events, links, status);
  }

  private List<EventData> sanitizeEvents(List<EventData> events, boolean debug, Redactor redactor) {
    if (events.isEmpty()) return events;
    List<EventData> out = new ArrayList<>(events.size());
    boolean changed = false;
    for (EventData e : events) {
      boolean content = DebugContent.EVENT_NAMES.contains(e.getName());
      if (content && !debug) {
        changed = true;
        continue;
      }
      String name = redactor.redact(e.getName());
      Attributes attributes = redactor.redact(e.getAttributes());
      if (content) attributes = cap(attributes);
      if (name == e.getName() && attributes == e.getAttributes()) {
        out.add(e);
      } else {
        changed = true;
        out.add(EventData.create(e.getEpochNanos(), name, attributes, e.getTotalAttributeCount()));
      }
    }
    return changed ? out : events;
  }

  private List<LinkData> sanitizeLinks(List<LinkData> links, Redactor redactor) {
    if (links.isEmpty() || !redactor.isActive()) return links;
    List<LinkData> out = new ArrayList<>(links.size());
    boolean changed = false;
    for (LinkData l : links) {
      Attributes attributes = redactor.redact(l.getAttributes());
      if (attributes == l.getAttributes()) {
        out.add(l);
      } else {
        changed = true;
        out.add(LinkData.create(l.getSpanContext(), attributes, l.getTotalAttributeCount()));
      }
    }
    return changed ? out : links;
  }

  @SuppressWarnings("unchecked")
  private Attributes cap(Attributes attributes) {
    AttributesBuilder b = null;
    for (Map.Entry<AttributeKey<?>, Object> e : attributes.asMap().entrySet()) {
      if (e.getKey().getType() != AttributeType.STRING) continue;
      String value = (String) e.getValue();
      String capped = DebugContent.cap(value, contentLimit);
      if (capped == value) continue;
      if (b == null) b = attributes.toBuilder();
      b.put((AttributeKey<String>) e.getKey(), capped);
    }
    return b == null ? attributes : b.build();
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
    return "SanitizingSpanExporter{" + delegate + "}";
  }

  private static final class SanitizedSpanData extends DelegatingSpanData {
    private final String name;
    private final Attributes attributes;
    private final List<EventData> events;
    private final List<LinkData> links;
    private final StatusData status;

    SanitizedSpanData(
        SpanData delegate,
        String name,
        Attributes attributes,
        List<EventData> events,
        List<LinkData> links,
        StatusData status) {
      super(delegate);
      this.name = name;
      this.attributes = attributes;
      this.events = List.copyOf(events);
      this.links = List.copyOf(links);
      this.status = status;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
