package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.llm.AgentNodeExecutor;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * Provides node kind {@code agent}: discovered model providers, and a tool bus built as the
 * {@code tool} kind builds its own (builder tools, discovered tools, config.yml's policy). A policy
 * that cannot be used gives an executor that reports each problem at its key of config.yml when the
 * configuration loads, instead of an exception.
 */
public final class AgentNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return "agent";
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    PolicySpec spec = setup.manifests().config().policy();
    Path baseDir = Path.of("").toAbsolutePath();
    List<ToolBus.SettingProblem> problems = ToolBus.check(spec, baseDir);
    if (!problems.isEmpty()) return NodeExecutor.unusable("agent", ToolBus.SettingProblem.asNodeProblems(problems));
    ToolPolicy policy = ToolPolicy.from(spec, baseDir);
    return AgentNodeExecutor.builder()
        .toolBus(ToolBus.builder().policy(policy).tools(setup.tools()).openTelemetry(setup.openTelemetry()).build())
        .openTelemetry(setup.openTelemetry())
        .configDir(setup.configDir())
        .build();
  }
}
