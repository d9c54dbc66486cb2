package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code config.yml}: runtime settings. Every section is optional.
 *
 * @since 0.1
 */
public record RuntimeConfig(
    @Nullable Map<String, @Valid ModelSpec> models,
    @Nullable @Valid CheckpointSpec checkpoint,
    @Nullable @Valid TelemetrySpec telemetry,
    @Nullable @Valid PolicySpec policy,
    @Nullable @Valid BudgetSpec budget,
    @Nullable @Valid MemorySpec memory,
    @Nullable Map<String, @Valid ContextProfileSpec> contextProfiles,
    @Nullable Map<String, @Valid McpServerSpec> mcpServers,
    @Nullable @Valid SchedulerSpec scheduler) {

  /** The configuration used when {@code config.yml} is absent. */
  public static final RuntimeConfig EMPTY =
      new RuntimeConfig(null, null, null, null, null, null, null, null, null);

  /** The models, empty if none are configured. */
  public Map<String, ModelSpec> modelsOrEmpty() {
    return models == null ? Map.of() : models;
  }

  /** The context profiles by name ({@code context_profiles:}), empty if none are configured. */
  public Map<String, ContextProfileSpec> contextProfilesOrEmpty() {
    return contextProfiles == null ? Map.of() : contextProfiles;
  }

  /**
   * The MCP servers by name ({@code mcp_servers:}), empty if none are configured.
   *
   * @since 0.1
   */
  public Map<String, McpServerSpec> mcpServersOrEmpty() {
    return mcpServers == null ? Map.of() : mcpServers;
  }
}
