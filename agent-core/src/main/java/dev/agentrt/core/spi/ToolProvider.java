package dev.agentrt.core.spi;

import java.util.List;

/**
 * Discovers tools through {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.agentrt.core.spi.ToolProvider}. Two providers offering a tool of the same
 * name are an error naming both classes; a tool registered on the ToolBus builder wins over a
 * discovered one of the same name.
 *
 * @since 0.1
 */
public interface ToolProvider {

  /** The tools this provider offers; called once per ToolBus. */
  List<Tool> tools();
}
