package dev.agentrt.tools.internal;

import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.tools.ToolNodeExecutor;
import java.util.List;

/**
 * Provides node kind {@code tool}, calling tools through the runtime's one bus ({@link
 * ExecutorSetup#toolBus()}). A policy that cannot be used gives an executor that reports each
 * problem at its key of config.yml when the configuration loads, instead of an exception.
 */
public final class ToolNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return ToolNodeKeys.KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return ToolNodeKeys.KEYS;
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    List<NodeProblem> problems = setup.toolBusProblems();
    if (!problems.isEmpty()) return NodeExecutor.unusable(ToolNodeKeys.KIND, problems);
    return ToolNodeExecutor.of(setup.toolBus());
  }
}
