package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.llm.router.RouteCandidate;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an inform-mode router recommended to the decision node its edge enters, read from the
 * router's output in state: the line added to the deciding agent's prompt, and the check of whether
 * the agent's answer followed it. Depends only on state, so the prompt (and its request hash) is
 * the same when the step runs again.
 *
 * @param top the recommended edge's {@code when:}
 * @param line the prompt line, e.g. {@code Router recommends: code (0.82), docs (0.11).} followed
 *     by the allowed route values
 */
public record RouterAdvice(String top, String line) {

  /**
   * The advice for decision node {@code decision}, or null if no inform-mode router enters it or
   * the router's output is not in state.
   */
  public static @Nullable RouterAdvice of(WorkflowSpec wf, NodeSpec decision, NodeInput input) {
    NodeSpec router = RouterGraph.informingRouter(wf, decision.id());
    if (router == null) return null;
    JsonNode out = input.get(router.id());
    JsonNode recs = out.path("recommendations");
    if (!recs.isArray() || recs.isEmpty() || !decision.id().equals(out.path("for").asText()))
      return null;
    StringBuilder b = new StringBuilder("Router recommends: ");
    for (int i = 0; i < recs.size(); i++) {
      JsonNode r = recs.get(i);
      if (i > 0) b.append(", ");
      b.append(r.path("edge").asText())
          .append(" (")
          .append(RouterNodeExecutor.number(r.path("score").asDouble()))
          .append(')');
    }
    b.append('.');
    List<String> whens = new ArrayList<>();
    for (RouteCandidate c : RouterGraph.candidates(wf, decision.id())) whens.add(c.edge());
    b.append("\nAllowed route values: ").append(String.join(", ", whens)).append('.');
    return new RouterAdvice(recs.get(0).path("edge").asText(), b.toString());
  }

  /** The decision counter of {@code otel} ({@code agentrt.router.decisions}). */
  public static LongCounter counter(OpenTelemetry otel) {
    return RouterNodeExecutor.decisionCounter(otel);
  }

  /**
   * Marks the step as advised by the router and counts the decision: {@code output} is the agent's
   * output, {@code route} the node's {@code route:} path in it (null: the output itself).
   */
  public void decided(
      NodeContext ctx, LongCounter decisions, JsonNode output, @Nullable String route) {
    JsonNode v = output;
    if (route != null) for (String part : route.split("\\.", -1)) v = v.path(part);
    String chosen = v.isValueNode() ? v.asText() : null;
    ctx.routeRecommended(top);
    decisions.add(
        1,
        Attributes.of(
            RouterNodeExecutor.MODE, "inform", RouterNodeExecutor.FOLLOWED, top.equals(chosen)));
  }
}
