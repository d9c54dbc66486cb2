package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a tool may use while it runs one call. Implemented by the ToolBus; it gains methods as the
 * runtime grows, so do not implement it.
 *
 * @since 0.1
 */
public interface ToolContext {

  /**
   * The workspace: an absolute, real directory path that file tools are confined to ({@code
   * policy.workspace}).
   */
  Path workspace();

  /** The hosts the {@code http} tool may reach ({@code policy.http_allow}), as written. */
  List<String> httpAllow();

  /**
   * This tool's settings from {@code policy.tools.<name>} in {@code config.yml}, or an empty
   * object.
   */
  JsonNode settings();

  /** When the call times out; a tool doing long work should stop by then. */
  Instant deadline();

  /** The runtime's clock. */
  Clock clock();

  /**
   * Whether the call should stop: its run was cancelled or it timed out. The ToolBus also
   * interrupts the tool's thread; a tool that blocks must let interrupts through.
   */
  boolean isCancelled();

  /**
   * The runtime's memory as the calling agent may use it (its run's task space, its project's
   * space, the scopes its {@code memory:} permits), for the {@code memory.*} tools.
   *
   * @throws dev.agentrt.core.memory.MemoryException when the bus was built without memory or the
   *     runtime has no memory backend
   * @since 0.1
   */
  default dev.agentrt.core.memory.MemoryAccess memory() {
    throw new dev.agentrt.core.memory.MemoryException(
        "this tool bus gives tools no memory (build the runtime with dev.agentrt:agent-memory)");
  }
}
