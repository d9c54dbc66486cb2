package dev.agentrt.core.internal;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Metrics of the runtime's memory operations ({@code agentrt.memory.operations}, {@code
 * agentrt.memory.duration}) and the {@code agentrt.memory.search} span of a search made outside any
 * span, through the OpenTelemetry API only (no-op unless an SDK is installed).
 *
 * <p>Durations come from {@link System#nanoTime()}: they measure elapsed time, which the runtime's
 * {@link java.time.Clock} (wall time, replaced by tests) does not.
 */
final class MemoryTelemetry {
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("agentrt.memory.operation");
  static final AttributeKey<String> SCOPE = AttributeKey.stringKey("agentrt.memory.scope");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("agentrt.memory.outcome");
  static final AttributeKey<String> MODE = AttributeKey.stringKey("agentrt.memory.mode");
  static final AttributeKey<Long> K = AttributeKey.longKey("agentrt.memory.k");
  static final AttributeKey<Long> HITS = AttributeKey.longKey("agentrt.memory.hits");
  static final AttributeKey<List<String>> SCOPES =
      AttributeKey.stringArrayKey("agentrt.memory.scopes");

  private final LongCounter operations;
  private final DoubleHistogram duration;
  private final Tracer tracer;

  MemoryTelemetry(OpenTelemetry otel) {
    Meter meter =
        otel.getMeterProvider()
            .meterBuilder("dev.agentrt.core")
            .setInstrumentationVersion(Engine.VERSION)
            .build();
    this.operations =
        meter
            .counterBuilder("agentrt.memory.operations")
            .setUnit("{operation}")
            .setDescription("Memory operations (put, get, delete, search, prune), by outcome.")
            .build();
    this.duration =
        meter
            .histogramBuilder("agentrt.memory.duration")
            .setUnit("s")
            .setDescription("Duration of memory operations, embedding included.")
            .build();
    this.tracer = otel.getTracer("dev.agentrt.core", Engine.VERSION);
  }

  /** Runs {@code op} on memory of {@code scope} (null: every scope) and records it. */
  <T> T record(String operation, @Nullable String scope, Supplier<T> op) {
    long t0 = System.nanoTime();
    String outcome = "error";
    try {
      T result = op.get();
      outcome = "ok";
      return result;
    } finally {
      AttributesBuilder a = Attributes.builder().put(OPERATION, operation).put(OUTCOME, outcome);
      if (scope != null) a.put(SCOPE, scope);
      Attributes attributes = a.build();
      operations.add(1, attributes);
      duration.record((System.nanoTime() - t0) / 1e9, attributes);
    }
  }

  /**
   * Runs {@code search} and records it; spans it as {@code agentrt.memory.search} when no span is
   * current (a search through the runtime's API, not one of a step: an agent's context assembly
   * spans its own search, a tool call is spanned by the tool bus).
   */
  List<MemoryHit> search(MemoryQuery query, Supplier<List<MemoryHit>> search) {
    List<String> scopes = scopes(query);
    String scope = String.join(",", scopes);
    if (Span.current().getSpanContext().isValid()) return record("search", scope, search);
    Span span =
        tracer
            .spanBuilder("agentrt.memory.search")
            .setAttribute(MODE, query.mode() == null ? "default" : query.mode().configName())
            .setAttribute(K, (long) query.k())
            .setAttribute(SCOPES, scopes)
            .startSpan();
    Scope current = span.makeCurrent();
    try {
      List<MemoryHit> hits = record("search", scope, search);
      span.setAttribute(HITS, (long) hits.size());
      return hits;
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      current.close();
      span.end();
    }
  }

  /** The scopes of the query's spaces, in scope order ({@code project}, {@code global}). */
  static List<String> scopes(MemoryQuery query) {
    Set<MemoryScope> scopes = EnumSet.noneOf(MemoryScope.class);
    for (MemorySpace s : query.spaces()) scopes.add(s.scope());
    List<String> names = new ArrayList<>();
    for (MemoryScope s : scopes) names.add(s.configName());
    return names;
  }
}
