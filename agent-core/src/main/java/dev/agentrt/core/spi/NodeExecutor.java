package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import java.util.List;

/**
 * Executes the nodes of one kind ({@code agent}, {@code tool}, {@code router}, or a kind of your
 * own). The engine owns retries, {@code $error} edges, budgets, checkpoints and events; an executor
 * only turns a node's input into an outcome.
 *
 * <p><b>Threading:</b> one instance serves every run of a runtime and is called concurrently
 * (parallel branches, split items, concurrent runs); it must be thread-safe. It should return
 * promptly when its thread is interrupted or {@link NodeContext#isCancelled()} turns true.
 *
 * @since 0.1
 */
public interface NodeExecutor {

  /** The node kind this executor runs, as written in {@code kind:}. */
  String kind();

  /**
   * Executes one attempt of a node.
   *
   * @return the outcome; throwing an exception is the same as returning a retryable {@link
   *     NodeOutcome.Failed} with that exception as cause
   */
  NodeOutcome execute(NodeInput input, NodeContext context) throws Exception;

  /**
   * The node keys of this kind and their load-time check (required keys present, references
   * existing), without this executor's resources. Must equal its provider's {@link
   * NodeExecutorProvider#nodeKeys()}. Default: no keys of its own.
   *
   * @since 0.1
   */
  default NodeKeys nodeKeys() {
    return NodeKeys.none();
  }

  /**
   * Checks a node of this kind once the runtime is built, with this executor's resources (tool
   * policies, model providers), so that mistakes are reported with file, line and column before any
   * run starts; runs only when the manifests have no other problem. The node's own keys are checked
   * before, by {@link #nodeKeys()}. The default finds nothing wrong.
   *
   * @param node the node to check
   * @param manifests everything loaded from the configuration directory
   * @return the problems found, empty if none
   */
  default List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
    return List.of();
  }

  /**
   * The executor a provider returns for a configuration it cannot work with: {@link #validate}
   * reports {@code problems} for every node of the kind (so the runtime is not built), and {@link
   * #execute} fails without retry, naming them.
   *
   * @param kind the node kind
   * @param problems what is wrong, typically {@link NodeProblem#inConfig} problems
   * @return an executor that never runs a node
   * @since 0.1
   */
  static NodeExecutor unusable(String kind, List<NodeProblem> problems) {
    List<NodeProblem> copy = List.copyOf(problems);
    return new NodeExecutor() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
        return copy;
      }

      @Override
      public NodeOutcome execute(NodeInput input, NodeContext context) {
        StringBuilder b = new StringBuilder("the configuration has problems: ");
        for (int i = 0; i < copy.size(); i++) {
          NodeProblem p = copy.get(i);
          if (i > 0) b.append("; ");
          if (p.isInConfig()) b.append(String.join(".", p.configKey())).append(": ");
          b.append(p.message());
        }
        return new NodeOutcome.Failed(b.toString(), null, false);
      }
    };
  }
}
