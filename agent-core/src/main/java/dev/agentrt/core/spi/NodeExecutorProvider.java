package dev.agentrt.core.spi;

/**
 * Discovers a {@link NodeExecutor} through {@link java.util.ServiceLoader}: list the implementation
 * in {@code META-INF/services/dev.agentrt.core.spi.NodeExecutorProvider}. Two providers declaring
 * the same kind are an error naming both classes; an executor registered with {@code
 * AgentRuntime.builder().nodeExecutor(...)} wins over any provider of its kind. A provider of a
 * kind built into agent-core ({@code function}, {@code transform}, {@code workflow}) is refused.
 *
 * @since 0.1
 */
public interface NodeExecutorProvider {

  /** The node kind the created executor runs. Called before {@link #create}. */
  String kind();

  /**
   * The node keys of {@link #kind()} and their load-time check, known without creating the
   * executor: the loader ({@code ManifestLoader}, {@code agentrt validate}) reads them here. Return
   * the same as the created executor's {@link NodeExecutor#nodeKeys()}. Default: no keys of its
   * own.
   *
   * @since 0.1
   */
  default NodeKeys nodeKeys() {
    return NodeKeys.none();
  }

  /**
   * Creates the executor for one runtime. Called once per runtime, at build time, only when a
   * loaded workflow uses {@link #kind()}.
   */
  NodeExecutor create(ExecutorSetup setup);
}
