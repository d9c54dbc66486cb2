package dev.agentrt.llm.internal;

import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.llm.AgentNodeExecutor;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;

/**
 * Provides node kind {@code agent}: discovered model providers, and a tool bus built as the
 * {@code tool} kind builds its own (builder tools, discovered tools, config.yml's policy).
 */
public final class AgentNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return "agent";
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    ToolPolicy policy = ToolPolicy.from(setup.manifests().config().policy(), Path.of("").toAbsolutePath());
    return AgentNodeExecutor.builder()
        .toolBus(ToolBus.builder().policy(policy).tools(setup.tools()).openTelemetry(setup.openTelemetry()).build())
        .openTelemetry(setup.openTelemetry())
        .configDir(setup.configDir())
        .build();
  }
}
