package dev.agentrt.core.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The engine's spans (ARCHITECTURE §8), through the OpenTelemetry API only. When the {@link
 * OpenTelemetry} given to the runtime is a no-op, every method here returns at once and no span
 * object is made, so tracing costs nothing unless an SDK is installed.
 */
final class Tracing {
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("agentrt.run.id");
  static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("agentrt.workflow.id");
  static final AttributeKey<String> STEP_KEY = AttributeKey.stringKey("agentrt.step.key");
  static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("agentrt.node.id");
  static final AttributeKey<String> NODE_KIND = AttributeKey.stringKey("agentrt.node.kind");
  static final AttributeKey<String> NODE_ROLE = AttributeKey.stringKey("agentrt.node.role");
  static final AttributeKey<Long> HOP_COUNT = AttributeKey.longKey("agentrt.hop.count");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("agentrt.step.attempts");
  static final AttributeKey<Long> LOOP_REMAINING = AttributeKey.longKey("agentrt.loop.remaining");
  static final AttributeKey<String> ROUTE_EDGE = AttributeKey.stringKey("agentrt.route.edge");
  static final AttributeKey<String> ROUTE_TO = AttributeKey.stringKey("agentrt.route.to");
  static final AttributeKey<String> ROUTE_REASON = AttributeKey.stringKey("agentrt.route.reason");
  static final AttributeKey<List<String>> ROUTE_CANDIDATES =
      AttributeKey.stringArrayKey("agentrt.route.candidates");
  static final AttributeKey<String> RUN_STATUS = AttributeKey.stringKey("agentrt.run.status");
  static final AttributeKey<String> RUN_REASON = AttributeKey.stringKey("agentrt.run.reason");
  static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("agentrt.run.resumed");
  static final AttributeKey<String> ROUTER_RECOMMENDED =
      AttributeKey.stringKey("agentrt.router.recommended");
  static final AttributeKey<Boolean> ROUTER_FOLLOWED =
      AttributeKey.booleanKey("agentrt.router.followed");

  final boolean enabled;
  private final Tracer tracer;

  Tracing(OpenTelemetry otel) {
    this.tracer = otel.getTracer("dev.agentrt.core", Engine.VERSION);
    // the API's no-op tracer is one shared instance, also behind an unset GlobalOpenTelemetry:
    // recognising it needs no probe span (which an SDK would see start and never end)
    this.enabled = tracer != NOOP_TRACER;
  }

  private static final Tracer NOOP_TRACER = OpenTelemetry.noop().getTracer("dev.agentrt.core");

  /**
   * The root span of a run (a new trace), linked to the root of the run's first execution if given.
   */
  @Nullable Span startRun(
      String runId, String workflowId, boolean resumed, @Nullable SpanContext original) {
    if (!enabled) return null;
    var b =
        tracer
            .spanBuilder("agentrt.run " + workflowId)
            .setNoParent()
            .setAttribute(RUN_ID, runId)
            .setAttribute(WORKFLOW_ID, workflowId)
            .setAttribute(RESUMED, resumed);
    if (original != null && original.isValid()) b.addLink(original);
    return b.startSpan();
  }

  /** The span of one step, a child of {@code parent}. */
  @Nullable Span startNode(
      @Nullable Context parent,
      String runId,
      CompiledWorkflow.CNode node,
      String stepKey,
      long hops) {
    if (!enabled) return null;
    var b =
        tracer
            .spanBuilder("agentrt.node " + node.id)
            .setAttribute(RUN_ID, runId)
            .setAttribute(STEP_KEY, stepKey)
            .setAttribute(NODE_ID, node.id)
            .setAttribute(NODE_ROLE, node.role.yamlName())
            .setAttribute(HOP_COUNT, hops);
    if (parent != null) b.setParent(parent);
    if (node.kind != null) b.setAttribute(NODE_KIND, node.kind);
    return b.startSpan();
  }

  /** A zero-length span recording a routing decision, a child of the current step's span. */
  void route(
      @Nullable Span step,
      String stepKey,
      String edgeId,
      String to,
      String reason,
      List<String> candidates,
      int loopRemaining,
      @Nullable String recommended,
      @Nullable String takenWhen) {
    if (step == null) return;
    Span s =
        tracer
            .spanBuilder("agentrt.route")
            .setParent(Context.root().with(step))
            .setAttribute(STEP_KEY, stepKey)
            .setAttribute(ROUTE_EDGE, edgeId)
            .setAttribute(ROUTE_TO, to)
            .setAttribute(ROUTE_REASON, reason)
            .setAttribute(ROUTE_CANDIDATES, candidates)
            .startSpan();
    if (loopRemaining >= 0) s.setAttribute(LOOP_REMAINING, (long) loopRemaining);
    if (recommended != null) {
      s.setAttribute(ROUTER_RECOMMENDED, recommended);
      s.setAttribute(ROUTER_FOLLOWED, recommended.equals(takenWhen));
    }
    s.end();
  }

  /** The span of one checkpoint write, a child of the step's span; end it after the write. */
  @Nullable Span startCheckpoint(@Nullable Span step, String stepKey) {
    if (step == null) return null;
    return tracer
        .spanBuilder("agentrt.checkpoint")
        .setParent(Context.root().with(step))
        .setAttribute(STEP_KEY, stepKey)
        .startSpan();
  }

  static void fail(@Nullable Span span, String message, @Nullable Throwable cause) {
    if (span == null) return;
    span.setStatus(StatusCode.ERROR, message);
    if (cause != null) span.recordException(cause);
  }

  static void end(@Nullable Span span) {
    if (span != null) span.end();
  }
}
