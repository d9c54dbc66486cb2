package dev.agentrt.mcp;

import dev.agentrt.core.manifest.McpServerSpec;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.mcp.internal.McpServerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link ToolProvider} of agent-mcp, discovered through {@link java.util.ServiceLoader}: offers
 * the tools of {@code config.yml}'s MCP servers ({@code mcp_servers:}) to a ToolBus built for that
 * configuration (the runtime's bus is): connects to each server in turn (starting a {@code command}
 * server as a child process), lists its tools and offers each as {@code <server>.<tool>}. A server
 * that cannot be reached is an {@link dev.agentrt.core.AgentrtException} naming it, after the
 * servers already started are closed. {@link #close()} closes every connection and ends every child
 * process; the bus calls it when it closes.
 *
 * <p>Thread-safe. Each bus loads its own instance; there is nothing to configure in code.
 *
 * @since 0.1
 */
public final class McpToolProvider implements ToolProvider, AutoCloseable {
  private final List<McpServerConnection> open = new ArrayList<>();

  /** Instantiated by {@link java.util.ServiceLoader}. */
  public McpToolProvider() {}

  /** Without a configuration there are no servers: no tools. */
  @Override
  public List<Tool> tools() {
    return List.of();
  }

  /**
   * Connects to every server of {@code setup}'s {@code mcp_servers:}, in file order, and returns
   * their tools.
   *
   * @throws dev.agentrt.core.AgentrtException naming the first server that cannot be reached, after
   *     closing the servers already started
   */
  @Override
  public synchronized List<Tool> tools(Setup setup) {
    Map<String, McpServerSpec> servers = setup.manifests().config().mcpServersOrEmpty();
    List<Tool> tools = new ArrayList<>();
    try {
      for (Map.Entry<String, McpServerSpec> e : servers.entrySet()) {
        McpServerConnection c = McpServerConnection.open(e.getKey(), e.getValue());
        open.add(c);
        tools.addAll(c.tools());
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
    return tools;
  }

  /** Closes every server connection opened here; idempotent. */
  @Override
  public synchronized void close() {
    for (McpServerConnection c : open) c.close();
    open.clear();
  }
}
