package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.Templates;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.RouterSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.Suggestions;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.llm.router.Ranking;
import dev.agentrt.llm.router.Recommendation;
import dev.agentrt.llm.router.RouteCandidate;
import dev.agentrt.llm.router.RouteRanker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code kind: router}: renders the node's {@code router.text}, ranks the candidate edges with
 * a {@link RouteRanker} (built once per node, on first use) and outputs the recommendations. The
 * ranking is recorded as a {@link CallKind#ROUTER} call of the step; a step executed again (resume
 * after a crash or an interrupt) reuses it without embedding. In decide mode the output's {@code
 * chosen} is the top edge, the fallback, null (the default edge), or the person's choice after
 * {@code fallback: ask} suspended the run.
 */
final class RouterNodeExecutor implements NodeExecutor {
  static final AttributeKey<Double> CONFIDENCE =
      AttributeKey.doubleKey("agentrt.router.confidence");
  static final AttributeKey<String> MODE = AttributeKey.stringKey("agentrt.router.mode");
  static final AttributeKey<List<String>> TOP = AttributeKey.stringArrayKey("agentrt.router.top");
  static final AttributeKey<Boolean> FOLLOWED = AttributeKey.booleanKey("agentrt.router.followed");

  /** The resume input's key holding a person's choice. */
  static final String CHOICE = "choice";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Embedder embedder;
  private final Tracer tracer;
  private final LongCounter decisions;
  private final Map<String, RouteRanker> rankers = new ConcurrentHashMap<>();
  private final Map<String, Templates> texts = new ConcurrentHashMap<>();

  private final java.util.function.Supplier<List<ToolDescriptor>> tools;
  private volatile @Nullable Capabilities capabilities;

  RouterNodeExecutor(
      Embedder embedder,
      OpenTelemetry otel,
      java.util.function.Supplier<List<ToolDescriptor>> tools) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.tracer = otel.getTracer("dev.agentrt.llm");
    this.decisions = decisionCounter(otel);
  }

  /** The counter {@code agentrt.router.decisions}, by mode and whether the choice followed. */
  static LongCounter decisionCounter(OpenTelemetry otel) {
    return otel.getMeter("dev.agentrt.llm")
        .counterBuilder("agentrt.router.decisions")
        .setUnit("{decision}")
        .setDescription(
            "Decisions advised by an embedded router, by mode and whether the recommendation was"
                + " followed")
        .build();
  }

  @Override
  public String kind() {
    return RouterNodeKeys.KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return RouterNodeKeys.KEYS;
  }

  @Override
  public NodeOutcome execute(NodeInput input, NodeContext ctx) {
    NodeSpec node = input.node();
    String where = "router '" + node.id() + "'";
    RouterSpec spec = node.router();
    if (spec == null || spec.text() == null)
      return new NodeOutcome.Failed(where + ": no router.text", null, false);
    Manifests manifests = ctx.manifests();
    WorkflowSpec wf = manifests.workflow(ctx.workflowId()).orElse(null);
    if (wf == null)
      return new NodeOutcome.Failed(
          where + ": no workflow '" + ctx.workflowId() + "'", null, false);
    String decision = RouterGraph.decisionOf(wf, node);
    if (decision == null)
      return new NodeOutcome.Failed(where + ": no decision node to route for", null, false);
    List<RouteCandidate> candidates =
        candidatesProviding(node, wf, RouterGraph.candidates(wf, decision), manifests);
    if (candidates.isEmpty())
      return new NodeOutcome.Failed(
          where
              + ": no candidate edge to rank"
              + (node.requires() == null || node.requires().isEmpty()
                  ? ""
                  : " (no edge leads to a node providing "
                      + String.join(", ", node.requires())
                      + ")"),
          null,
          false);
    String text;
    try {
      JsonNode v =
          texts
              .computeIfAbsent(
                  ctx.workflowId() + "/" + node.id(),
                  k -> Templates.compile(TextNode.valueOf(spec.text())))
              .evaluate(input);
      text = v.isTextual() ? v.asText() : v.toString();
    } catch (Templates.MissingPathException e) {
      return new NodeOutcome.Failed(where + ": router.text: " + e.getMessage(), null, false);
    }
    RouterSpec.Mode mode = spec.modeOrDefault();
    Ranking ranking;
    try {
      ranking = ranking(ctx, wf, node, candidates, text, mode);
    } catch (IllegalStateException e) {
      return new NodeOutcome.Failed(where + ": " + e.getMessage(), null, false);
    }
    Recommendation top = ranking.recommendations().get(0);
    if (mode == RouterSpec.Mode.INFORM)
      return NodeOutcome.completed(output(ranking, spec, null, null, mode, decision));

    List<String> whens = new ArrayList<>();
    for (RouteCandidate c : candidates) whens.add(c.edge());
    String chosen;
    String decidedBy;
    JsonNode resume = input.get("$resume." + node.id());
    if (resume.isObject() && resume.has(CHOICE)) {
      chosen = resume.get(CHOICE).asText();
      decidedBy = "person";
      if (!whens.contains(chosen))
        return new NodeOutcome.Failed(
            where
                + ": resume choice '"
                + chosen
                + "' is not one of the router's edges ("
                + String.join(", ", whens)
                + ")"
                + Suggestions.didYouMean(chosen, whens),
            null,
            false);
    } else if (ranking.confidence() >= spec.minConfidenceOrDefault()) {
      chosen = top.edge();
      decidedBy = "router";
    } else if (RouterSpec.ASK.equals(spec.fallback())) {
      return new NodeOutcome.Suspended(
          FailureReason.INTERRUPTED,
          where
              + " is not confident enough ("
              + summary(ranking, spec.topOrDefault())
              + "; min_confidence "
              + number(spec.minConfidenceOrDefault())
              + "): resume with {\"choice\": \"<edge>\"}, one of: "
              + String.join(", ", whens));
    } else if (spec.fallback() != null) {
      chosen = spec.fallback();
      decidedBy = "fallback";
    } else {
      chosen = null;
      decidedBy = "default";
    }
    ctx.routeRecommended(top.edge());
    decisions.add(
        1, Attributes.of(MODE, "decide", FOLLOWED, chosen != null && chosen.equals(top.edge())));
    return NodeOutcome.completed(output(ranking, spec, chosen, decidedBy, mode, decision));
  }

  /**
   * The candidates whose target node provides every tag of the router node's {@code requires:} (its
   * own tags, its agent's or its tool's: {@link Capabilities#provides}); all of them when the
   * router requires nothing.
   */
  private List<RouteCandidate> candidatesProviding(
      NodeSpec router, WorkflowSpec wf, List<RouteCandidate> candidates, Manifests manifests) {
    List<String> required = router.requires();
    if (required == null || required.isEmpty()) return candidates;
    Capabilities caps = capabilities;
    if (caps == null) capabilities = caps = Capabilities.of(manifests, tools.get());
    List<RouteCandidate> out = new java.util.ArrayList<>();
    for (RouteCandidate c : candidates) {
      NodeSpec target = null;
      for (NodeSpec n : wf.nodes()) if (n.id().equals(c.to())) target = n;
      if (target != null && caps.satisfies(target, required)) out.add(c);
    }
    return out;
  }

  /** The step's ranking: the recorded one when the step runs again, else a new one, recorded. */
  private Ranking ranking(
      NodeContext ctx,
      WorkflowSpec wf,
      NodeSpec node,
      List<RouteCandidate> candidates,
      String text,
      RouterSpec.Mode mode) {
    ObjectNode request = NODES.objectNode();
    request.put("text", text);
    request.put("model", embedder.model());
    ArrayNode cs = request.putArray("candidates");
    for (RouteCandidate c : candidates) {
      ObjectNode o = cs.addObject().put("edge", c.edge()).put("to", c.to());
      if (c.description() != null) o.put("description", c.description());
      ArrayNode tags = o.putArray("tags");
      c.tags().forEach(tags::add);
      ArrayNode examples = o.putArray("examples");
      c.examples().forEach(examples::add);
    }
    String hash = ChatJson.hash(request);
    var earlier = ctx.calls().replayed(0);
    Span span =
        tracer
            .spanBuilder("agentrt.route.recommend")
            .setAttribute(MODE, mode.name().toLowerCase(Locale.ROOT))
            .setAttribute(GenAi.REQUEST_MODEL, embedder.model())
            .startSpan();
    try {
      Ranking ranking;
      if (earlier.isPresent()) {
        CallRecord c = earlier.get();
        if (c.kind() != CallKind.ROUTER || !c.requestHash().equals(hash))
          throw new IllegalStateException(
              "step "
                  + ctx.stepKey()
                  + ": the ranking differs from the one recorded before the run stopped (recorded "
                  + c.kind()
                  + " '"
                  + c.name()
                  + "'; the text, the candidate edges or the model changed: start a new run or"
                  + " fork this one before the step)");
        ranking = fromJson(c.response());
      } else {
        Instant at = ctx.clock().instant();
        long t0 = System.nanoTime();
        RouteRanker ranker =
            rankers.computeIfAbsent(
                ctx.workflowId() + "/" + node.id(), k -> new RouteRanker(embedder, candidates));
        if (!ranker.candidates().equals(candidates)) ranker = new RouteRanker(embedder, candidates);
        ranking = ranker.rank(text);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        ctx.calls()
            .record(
                new CallRecord(
                    ctx.runId(),
                    ctx.stepKey(),
                    0,
                    CallKind.ROUTER,
                    embedder.model(),
                    hash,
                    request,
                    toJson(ranking),
                    BudgetUsage.ZERO,
                    at,
                    took));
      }
      span.setAttribute(CONFIDENCE, ranking.confidence());
      List<String> top = new ArrayList<>();
      for (Recommendation r : ranking.recommendations()) {
        if (top.size() == 3) break;
        top.add(r.edge() + "=" + number(r.score()));
      }
      span.setAttribute(TOP, top);
      return ranking;
    } finally {
      span.end();
    }
  }

  private static ObjectNode output(
      Ranking ranking,
      RouterSpec spec,
      @org.jspecify.annotations.Nullable String chosen,
      @org.jspecify.annotations.Nullable String decidedBy,
      RouterSpec.Mode mode,
      String decision) {
    ObjectNode out = NODES.objectNode();
    ArrayNode recs = out.putArray("recommendations");
    int n = Math.min(spec.topOrDefault(), ranking.recommendations().size());
    for (int i = 0; i < n; i++) recs.add(recommendation(ranking.recommendations().get(i)));
    out.put("confidence", ranking.confidence());
    if (chosen == null) out.putNull(RouterNodeKeys.CHOSEN);
    else out.put(RouterNodeKeys.CHOSEN, chosen);
    if (decidedBy != null) out.put("decided_by", decidedBy);
    out.put("mode", mode.name().toLowerCase(Locale.ROOT));
    out.put("for", decision);
    out.put("model", ranking.model());
    return out;
  }

  private static ObjectNode recommendation(Recommendation r) {
    return NODES
        .objectNode()
        .put("edge", r.edge())
        .put("to", r.to())
        .put("score", r.score())
        .put("reason", r.reason());
  }

  /** The ranking as recorded: every recommendation, the confidence and the model. */
  static ObjectNode toJson(Ranking ranking) {
    ObjectNode o = NODES.objectNode();
    ArrayNode recs = o.putArray("recommendations");
    for (Recommendation r : ranking.recommendations()) recs.add(recommendation(r));
    o.put("confidence", ranking.confidence());
    o.put("model", ranking.model());
    return o;
  }

  static Ranking fromJson(JsonNode o) {
    List<Recommendation> recs = new ArrayList<>();
    for (JsonNode r : o.path("recommendations")) {
      recs.add(
          new Recommendation(
              r.path("edge").asText(),
              r.path("to").asText(),
              r.path("score").asDouble(),
              r.path("reason").asText()));
    }
    if (recs.isEmpty())
      throw new IllegalStateException("the recorded ranking has no recommendations");
    return new Ranking(recs, o.path("confidence").asDouble(), o.path("model").asText());
  }

  /** {@code code 0.41, docs 0.32}: the first {@code n} recommendations and their scores. */
  static String summary(Ranking ranking, int n) {
    StringBuilder b = new StringBuilder();
    List<Recommendation> recs = ranking.recommendations();
    for (int i = 0; i < Math.min(n, recs.size()); i++) {
      if (i > 0) b.append(", ");
      b.append(recs.get(i).edge()).append(' ').append(number(recs.get(i).score()));
    }
    return b.toString();
  }

  static String number(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
