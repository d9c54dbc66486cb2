package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import java.util.List;

/**
 * Provides node kind {@code router} with the runtime's embedding model ({@link
 * ExecutorSetup#embedder()}); without one, an executor that reports at every router node which
 * dependency to add.
 */
public final class RouterNodeExecutorProvider implements NodeExecutorProvider {
  /** The problem of a runtime without an embedding model. */
  static final String NO_EMBEDDER =
      "kind router needs an embedding model: add dev.agentrt:agent-embeddings to the class path,"
          + " or give AgentRuntime.builder().embedder(...)";

  @Override
  public String kind() {
    return RouterNodeKeys.KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return RouterNodeKeys.KEYS;
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    return setup
        .embedder()
        .<NodeExecutor>map(e -> new RouterNodeExecutor(e, setup.openTelemetry()))
        .orElseGet(RouterNodeExecutorProvider::withoutEmbedder);
  }

  /** Reports {@link #NO_EMBEDDER} at every router node; owns the kind's keys all the same. */
  private static NodeExecutor withoutEmbedder() {
    NodeExecutor unusable =
        NodeExecutor.unusable(RouterNodeKeys.KIND, List.of(new NodeProblem("", NO_EMBEDDER)));
    return new NodeExecutor() {
      @Override
      public String kind() {
        return RouterNodeKeys.KIND;
      }

      @Override
      public NodeKeys nodeKeys() {
        return RouterNodeKeys.KEYS;
      }

      @Override
      public List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
        return unusable.validate(node, manifests);
      }

      @Override
      public NodeOutcome execute(NodeInput input, NodeContext context) throws Exception {
        return unusable.execute(input, context);
      }
    };
  }
}
