package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Suggestions;
import java.util.List;
import java.util.Set;

/**
 * The keys of kind {@code agent}: {@code agent} (required, naming an agent of {@code agents/}).
 * Shared by {@link dev.agentrt.llm.AgentNodeExecutor} and {@link AgentNodeExecutorProvider}, so
 * that the loader checks them without creating the executor (its model providers and tool bus). The
 * agent's model and tools are checked by the executor's {@code validate}.
 */
public final class AgentNodeKeys {
  /** The node kind. */
  public static final String KIND = "agent";

  /** The keys of kind {@code agent} and their check. */
  public static final NodeKeys KEYS = NodeKeys.of(Set.of("agent"), AgentNodeKeys::check);

  private AgentNodeKeys() {}

  private static List<NodeProblem> check(NodeSpec node, Manifests manifests) {
    String name = node.agent();
    if (name == null)
      return List.of(NodeKeys.missing(KIND, "agent", "the name of an agent in agents/"));
    Set<String> agents = manifests.agents().keySet();
    if (agents.contains(name)) return List.of();
    return List.of(
        new NodeProblem("agent", "no agent '" + name + "'" + Suggestions.didYouMean(name, agents)));
  }
}
