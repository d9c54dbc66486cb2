package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.RouterSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.llm.router.RouteCandidate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@code kind: router} node sits in its workflow: the decision it serves (itself in decide
 * mode, the node its one edge enters in inform mode), the candidates (that decision's edges with
 * {@code when:}), and, seen from a decision node, the inform-mode router that advises it.
 */
public final class RouterGraph {
  private RouterGraph() {}

  /** The workflow holding {@code node} (the same instance), if any. */
  static Optional<WorkflowSpec> workflowOf(NodeSpec node, Manifests manifests) {
    for (WorkflowSpec wf : manifests.workflows().values()) {
      for (NodeSpec n : wf.nodes()) {
        if (n == node) return Optional.of(wf);
      }
    }
    return Optional.empty();
  }

  /** The node with id {@code id}, or null. */
  static @Nullable NodeSpec node(WorkflowSpec wf, String id) {
    for (NodeSpec n : wf.nodes()) {
      if (n != null && id.equals(n.id())) return n;
    }
    return null;
  }

  /** The edges leaving {@code nodeId}, {@code $error} edges left out, in file order. */
  static List<EdgeSpec> outgoing(WorkflowSpec wf, String nodeId) {
    List<EdgeSpec> out = new ArrayList<>();
    for (EdgeSpec e : wf.edges()) {
      if (e != null && nodeId.equals(e.from()) && !e.isErrorEdge()) out.add(e);
    }
    return out;
  }

  /** The id of the decision node {@code router} serves, or null if the graph has none. */
  static @Nullable String decisionOf(WorkflowSpec wf, NodeSpec router) {
    RouterSpec spec = router.router();
    if (spec != null && spec.modeOrDefault() == RouterSpec.Mode.DECIDE) return router.id();
    List<EdgeSpec> out = outgoing(wf, router.id());
    return out.size() == 1 ? out.get(0).to() : null;
  }

  /**
   * The candidates of decision {@code decisionId}: its edges with {@code when:}, in file order (a
   * {@code when:} value already taken by an earlier edge is left out, as the engine never takes
   * it).
   */
  static List<RouteCandidate> candidates(WorkflowSpec wf, String decisionId) {
    List<RouteCandidate> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (EdgeSpec e : outgoing(wf, decisionId)) {
      if (e.when() == null || !seen.add(e.when())) continue;
      out.add(
          new RouteCandidate(
              e.when(), e.to(), e.description(), e.tagsOrEmpty(), e.examplesOrEmpty()));
    }
    return out;
  }

  /**
   * The inform-mode router whose one edge enters decision {@code decisionId}, the first in file
   * order, or null.
   */
  public static @Nullable NodeSpec informingRouter(WorkflowSpec wf, String decisionId) {
    NodeSpec decision = node(wf, decisionId);
    if (decision == null || decision.roleOrDefault() != Role.DECISION) return null;
    for (NodeSpec n : wf.nodes()) {
      if (n == null || !RouterNodeKeys.KIND.equals(n.kind()) || n.router() == null) continue;
      if (n.router().modeOrDefault() != RouterSpec.Mode.INFORM) continue;
      if (decisionId.equals(decisionOf(wf, n))) return n;
    }
    return null;
  }
}
