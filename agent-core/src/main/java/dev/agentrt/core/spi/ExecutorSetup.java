package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link NodeExecutorProvider} may use to build its executor. Implemented by the engine.
 *
 * @since 0.1
 */
public interface ExecutorSetup {

  /** Everything loaded from the configuration directory. */
  Manifests manifests();

  /** The configuration directory ({@code .agent/}); relative paths in manifests resolve here. */
  Path configDir();

  /**
   * The tools registered with {@code AgentRuntime.Builder.tool(...)}, in registration order, names
   * unique. An executor that calls tools adds them to its tool bus, where they win over discovered
   * tools of the same name. Empty by default.
   *
   * @since 0.1
   */
  default List<Tool> tools() {
    return List.of();
  }

  /**
   * The OpenTelemetry instance the runtime traces with, for executors that add spans of their own
   * ({@code execute_tool}, {@code chat}) under the engine's step spans. A no-op unless an SDK is
   * installed.
   *
   * @since 0.1
   */
  default OpenTelemetry openTelemetry() {
    return OpenTelemetry.noop();
  }
}
