package dev.agentrt.tools.internal;

import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.ToolBusProvider;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * Provides the runtime's one tool bus: the tools registered on the runtime's builder, every
 * discovered tool (a builder tool wins over a discovered one of the same name; providers are asked
 * for the tools of the runtime's configuration, such as config.yml's MCP servers, and closed with
 * the bus), config.yml's policy (paths relative to the working directory), the runtime's clock and
 * OpenTelemetry. A policy that cannot be used (a missing workspace, a malformed setting) is
 * reported at its keys of config.yml by {@link #check}.
 */
public final class PolicyToolBusProvider implements ToolBusProvider {
  @Override
  public List<NodeProblem> check(Setup setup) {
    return ToolBus.SettingProblem.asNodeProblems(
        ToolBus.check(setup.manifests().config().policy(), baseDir()));
  }

  @Override
  public ToolBus create(Setup setup) {
    PolicySpec spec = setup.manifests().config().policy();
    return ToolBus.builder()
        .policy(ToolPolicy.from(spec, baseDir()))
        .tools(setup.tools())
        .configuration(setup.manifests(), setup.configDir())
        .clock(setup.clock())
        .openTelemetry(setup.openTelemetry())
        .memory(setup.memory())
        .build();
  }

  private static Path baseDir() {
    return Path.of("").toAbsolutePath();
  }
}
