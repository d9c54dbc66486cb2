package dev.agentrt.tools.internal;

import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolNodeExecutor;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;

/**
 * Provides node kind {@code tool}: a bus with the tools registered on the runtime's builder, every
 * discovered tool (a builder tool wins over a discovered one of the same name) and config.yml's
 * policy.
 */
public final class ToolNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return "tool";
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    ToolPolicy policy = ToolPolicy.from(setup.manifests().config().policy(), Path.of("").toAbsolutePath());
    return ToolNodeExecutor.of(ToolBus.builder().policy(policy).tools(setup.tools())
        .openTelemetry(setup.openTelemetry()).build());
  }
}
