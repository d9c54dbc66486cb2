package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.internal.CompiledWorkflow.CEdge;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.manifest.Role;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Chooses and takes a step's outgoing edge: decisions, defaults, loop counts and exhausted loops.
 */
final class Router {
  private final RunExecution run;
  private final String runId;
  private final Tracing tracing;

  Router(RunExecution run) {
    this.run = run;
    this.runId = run.runId;
    this.tracing = run.tracing;
  }

  /** Chooses the outgoing edge (without taking it). A decision that matches no edge fails. */
  Next route(Scope s, CNode node, String key, JsonNode out) {
    List<CEdge> edges = node.out;
    if (node.role != Role.DECISION) {
      return new Next(null, null, out).withEdge(edges.get(0), "next");
    }
    JsonNode value = node.route != null ? node.route.readRelative(out) : out;
    if (value.isMissingNode() || value.isNull()) {
      CEdge dflt = defaultEdge(edges);
      if (dflt != null) return new Next(null, null, out).withEdge(dflt, "default");
      return new Next(
          null,
          End.failed(
              FailureReason.NODE_FAILED,
              key,
              "decision '"
                  + node.id
                  + "': "
                  + (node.route != null
                      ? "route path '" + node.route + "' is not in the output " + Json.brief(out)
                      : "the output is null")
                  + " and no edge is the default (add an edge without when:)"),
          out);
    }
    String v = value.isValueNode() ? value.asText() : value.toString();
    for (CEdge e : edges) {
      if (e.when != null && e.when.equals(v))
        return new Next(null, null, out).withEdge(e, "when=" + v);
    }
    CEdge dflt = defaultEdge(edges);
    if (dflt != null) return new Next(null, null, out).withEdge(dflt, "default");
    List<String> whens = new ArrayList<>();
    for (CEdge e : edges) whens.add(e.when);
    return new Next(
        null,
        End.failed(
            FailureReason.NODE_FAILED,
            key,
            "decision '"
                + node.id
                + "': route value '"
                + Json.brief(value)
                + "' matches no edge (when: "
                + String.join(", ", whens)
                + ") and no edge is the default"
                + Suggest.didYouMean(v, whens)),
        out);
  }

  private static @Nullable CEdge defaultEdge(List<CEdge> edges) {
    for (CEdge e : edges) {
      if (e.when == null) return e;
    }
    return null;
  }

  /** Takes the chosen edge: counts loop iterations, picks exhausted targets, emits the route. */
  Next takeEdge(Scope s, CNode node, String key, Next routed, JsonNode out) {
    CEdge e = routed.edge;
    String reason = routed.reason;
    CNode target = e.to;
    if (e.isLoop()) {
      int taken = s.loops.getOrDefault(e.id, 0);
      if (taken < e.loopMax) {
        s.loops.put(e.id, taken + 1);
        JsonNode prior = s.state.get("$loops");
        ObjectNode loops =
            prior.isObject() ? ((ObjectNode) prior).deepCopy() : Json.NODES.objectNode();
        loops.set(e.id, CompiledWorkflow.loopStatus(taken + 1, e.loopMax));
        s.state.put("$loops", loops);
        if (run.listening())
          run.emit(
              new RunEvent.LoopIteration(runId, run.clock.instant(), e.id, taken + 1, e.loopMax));
        reason = "loop";
      } else {
        target = e.exhausted;
        reason = "exhausted";
      }
    }
    if (run.listening())
      run.emit(
          new RunEvent.RouteTaken(
              runId, run.clock.instant(), key, node.id, target.id, e.id, reason));
    if (tracing.enabled) {
      List<String> candidates = new ArrayList<>(node.out.size());
      for (CEdge c : node.out) candidates.add(c.id);
      int remaining = e.isLoop() ? e.loopMax - s.loops.getOrDefault(e.id, 0) : -1;
      tracing.route(
          Span.current(),
          key,
          e.id,
          target.id,
          reason,
          candidates,
          remaining,
          routed.recommended,
          e.when);
    }
    return new Next(target, null, out);
  }
}
