package dev.agentrt.tools.internal;

import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.ToolBusProvider;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
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
    List<NodeProblem> problems =
        new ArrayList<>(
            ToolBus.SettingProblem.asNodeProblems(
                ToolBus.check(setup.manifests().config().policy(), baseDir())));
    if (!setup.manifests().config().mcpServersOrEmpty().isEmpty() && !mcpOnClassPath()) {
      problems.add(
          NodeProblem.inConfig(
              List.of("mcp_servers"),
              "no MCP client on the class path, so these servers' tools would be"
                  + " missing (add dependency dev.agentrt:agent-mcp, or remove mcp_servers:)"));
    }
    return problems;
  }

  /** Whether agent-mcp's provider, which serves {@code mcp_servers:}, is discovered. */
  private static boolean mcpOnClassPath() {
    for (ToolProvider p : Plugins.load(ToolProvider.class, true)) {
      if (p.getClass().getName().equals(MCP_PROVIDER)) return true;
    }
    return false;
  }

  /** The provider of agent-mcp, named here as the artifact that serves {@code mcp_servers:}. */
  private static final String MCP_PROVIDER = "dev.agentrt.mcp.McpToolProvider";

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
