package dev.agentrt.tools.internal;

import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolNodeExecutor;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * Provides node kind {@code tool}: a bus with the tools registered on the runtime's builder, every
 * discovered tool (a builder tool wins over a discovered one of the same name) and config.yml's
 * policy. A policy that cannot be used (a missing workspace, a malformed setting) gives an executor
 * that reports each problem at its key of config.yml when the configuration loads, instead of an
 * exception.
 */
public final class ToolNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return "tool";
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    PolicySpec spec = setup.manifests().config().policy();
    Path baseDir = Path.of("").toAbsolutePath();
    List<ToolBus.SettingProblem> problems = ToolBus.check(spec, baseDir);
    if (!problems.isEmpty()) return NodeExecutor.unusable("tool", ToolBus.SettingProblem.asNodeProblems(problems));
    ToolPolicy policy = ToolPolicy.from(spec, baseDir);
    return ToolNodeExecutor.of(ToolBus.builder().policy(policy).tools(setup.tools())
        .openTelemetry(setup.openTelemetry()).build());
  }
}
