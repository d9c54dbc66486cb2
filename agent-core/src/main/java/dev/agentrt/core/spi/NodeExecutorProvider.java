package dev.agentrt.core.spi;

/**
 * Discovers a {@link NodeExecutor} through {@link java.util.ServiceLoader}: list the implementation
 * in {@code META-INF/services/dev.agentrt.core.spi.NodeExecutorProvider}. Two providers declaring
 * the same kind are an error naming both classes; an executor registered with {@code
 * AgentRuntime.builder().nodeExecutor(...)} wins over any provider of its kind.
 *
 * @since 0.1
 */
public interface NodeExecutorProvider {

  /** The node kind the created executor runs. Called before {@link #create}. */
  String kind();

  /**
   * Creates the executor for one runtime. Called once per runtime, at build time, only when a
   * loaded workflow uses {@link #kind()}.
   */
  NodeExecutor create(ExecutorSetup setup);
}
