package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Discovers tools through {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.agentrt.core.spi.ToolProvider}. Two providers offering a tool of the same
 * name are an error naming both classes; a tool registered on the ToolBus builder wins over a
 * discovered one of the same name.
 *
 * <p>A provider whose tools come from the configuration (the MCP servers of {@code config.yml}'s
 * {@code mcp_servers:}) overrides {@link #tools(Setup)}; a bus built for a configuration calls that
 * instead of {@link #tools()}. A provider that holds resources for its tools (child processes,
 * connections) implements {@link AutoCloseable}: the bus that asked it for tools closes it when the
 * bus closes, which the runtime does when it closes. Each bus loads its own provider instances.
 *
 * @since 0.1
 */
public interface ToolProvider {

  /** The tools this provider offers without a configuration; called once per ToolBus. */
  List<Tool> tools();

  /**
   * The tools this provider offers to a bus built for the configuration {@code setup} describes;
   * called once per such bus, instead of {@link #tools()}. By default {@link #tools()}.
   *
   * @throws dev.agentrt.core.AgentrtException if the configuration's tools cannot be made available
   *     (a server that does not start); the message says which and what to fix, and the provider
   *     has released what it had acquired
   * @since 0.1
   */
  default List<Tool> tools(Setup setup) {
    return tools();
  }

  /**
   * The configuration a bus is built for.
   *
   * @param manifests everything loaded from the configuration directory
   * @param configDir the configuration directory
   * @since 0.1
   */
  record Setup(Manifests manifests, Path configDir) {
    public Setup {
      Objects.requireNonNull(manifests, "manifests");
      Objects.requireNonNull(configDir, "configDir");
    }
  }
}
