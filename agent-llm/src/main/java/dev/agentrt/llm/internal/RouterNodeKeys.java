package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.RouterSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Suggestions;
import dev.agentrt.llm.router.RouteCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The keys of kind {@code router}: {@code router:} (required, with {@code text:}), and the shape of
 * the graph around the node. Decide mode: the node is a decision with at least two edges with
 * {@code when:}, and {@code fallback:} is {@code ask} or one of their {@code when:} values. Inform
 * mode: the node's one edge enters a decision node that has edges with {@code when:}. A decide-mode
 * router routes on its output's {@code chosen} unless it declares {@code route:}.
 */
public final class RouterNodeKeys implements NodeKeys {
  /** The node kind. */
  public static final String KIND = "router";

  /** The one instance. */
  public static final RouterNodeKeys KEYS = new RouterNodeKeys();

  /** The output field a decide-mode router routes on. */
  static final String CHOSEN = "chosen";

  private RouterNodeKeys() {}

  @Override
  public Set<String> keys() {
    return Set.of("router");
  }

  @Override
  public @Nullable String defaultRoute(NodeSpec node) {
    RouterSpec spec = node.router();
    return spec != null && spec.modeOrDefault() == RouterSpec.Mode.DECIDE ? CHOSEN : null;
  }

  @Override
  public List<NodeProblem> check(NodeSpec node, Manifests manifests) {
    RouterSpec spec = node.router();
    if (spec == null)
      return List.of(
          NodeKeys.missing(
              KIND,
              "router",
              "at least text:, the template of the text to route, such as" + " {{input.request}}"));
    List<NodeProblem> problems = new ArrayList<>();
    if (spec.text() == null || spec.text().isBlank())
      problems.add(
          new NodeProblem(
              "router",
              "router: needs text: (the template of the text to route, such as"
                  + " {{input.request}})"));
    Optional<WorkflowSpec> wf = RouterGraph.workflowOf(node, manifests);
    if (wf.isEmpty()) return problems;
    if (spec.modeOrDefault() == RouterSpec.Mode.DECIDE) decide(node, spec, wf.get(), problems);
    else inform(node, spec, wf.get(), problems);
    return problems;
  }

  private static void decide(
      NodeSpec node, RouterSpec spec, WorkflowSpec wf, List<NodeProblem> problems) {
    if (node.roleOrDefault() != Role.DECISION) {
      problems.add(
          new NodeProblem(
              "router/mode",
              "mode decide needs role: decision on the router's node (it takes one of its edges),"
                  + " found role "
                  + node.roleOrDefault().name().toLowerCase(java.util.Locale.ROOT)));
      return;
    }
    List<RouteCandidate> candidates = RouterGraph.candidates(wf, node.id());
    if (candidates.size() < 2) {
      problems.add(
          new NodeProblem(
              "router/mode",
              "mode decide needs at least two outgoing edges with when: to choose from, found "
                  + candidates.size()));
      return;
    }
    List<String> whens = new ArrayList<>();
    for (RouteCandidate c : candidates) whens.add(c.edge());
    String fallback = spec.fallback();
    if (fallback != null && !RouterSpec.ASK.equals(fallback) && !whens.contains(fallback)) {
      List<String> allowed = new ArrayList<>(whens);
      allowed.add(0, RouterSpec.ASK);
      problems.add(
          new NodeProblem(
              "router/fallback",
              "fallback: '"
                  + fallback
                  + "' is neither ask nor the when: of one of the node's edges"
                  + hint(fallback, allowed)));
    }
    boolean hasDefault = false;
    for (EdgeSpec e : RouterGraph.outgoing(wf, node.id())) hasDefault |= e.when() == null;
    if (fallback == null && !hasDefault && spec.minConfidenceOrDefault() > 0)
      problems.add(
          new NodeProblem(
              "router/min_confidence",
              "min_confidence: a ranking below it has nowhere to go (add fallback: ask, fallback:"
                  + " <the when: of an edge>, or an edge without when:)"));
  }

  private static void inform(
      NodeSpec node, RouterSpec spec, WorkflowSpec wf, List<NodeProblem> problems) {
    if (spec.fallback() != null)
      problems.add(
          new NodeProblem(
              "router/fallback", "fallback: applies to mode decide only (add mode: decide)"));
    if (spec.minConfidence() != null)
      problems.add(
          new NodeProblem(
              "router/min_confidence",
              "min_confidence: applies to mode decide only (add mode: decide)"));
    if (node.roleOrDefault() != Role.LINEAR) {
      problems.add(
          new NodeProblem(
              "role",
              "a router with role: "
                  + node.roleOrDefault().name().toLowerCase(java.util.Locale.ROOT)
                  + " needs mode: decide (in mode inform, the default, a router is linear and its"
                  + " one edge enters the decision it advises)"));
      return;
    }
    List<EdgeSpec> out = RouterGraph.outgoing(wf, node.id());
    if (out.size() != 1) return; // the role checks report it
    NodeSpec target = RouterGraph.node(wf, out.get(0).to());
    if (target == null) return; // the graph checks report it
    if (target.roleOrDefault() != Role.DECISION) {
      problems.add(
          new NodeProblem(
              "router",
              "mode inform recommends to the decision its edge enters, but node '"
                  + target.id()
                  + "' is not a decision (give it role: decision, or use mode: decide)"));
      return;
    }
    if (RouterGraph.candidates(wf, target.id()).isEmpty())
      problems.add(
          new NodeProblem(
              "router",
              "decision '"
                  + target.id()
                  + "' has no edges with when: to recommend (give its edges when: values)"));
  }

  private static String hint(String value, List<String> allowed) {
    String d = Suggestions.didYouMean(value, allowed);
    return d.isEmpty() ? " (one of: " + String.join(", ", allowed) + ")" : d;
  }
}
