package dev.agentrt.spring;

import dev.agentrt.core.AgentRuntime;
import org.jspecify.annotations.Nullable;

/**
 * agentrt's own telemetry as the runtime bean sees it, so that the auto-configuration names no
 * agent-telemetry type outside the configuration that is conditional on it.
 */
interface AgentrtTelemetry {
  /** Gives the builder the telemetry's OpenTelemetry and run listener. */
  void apply(AgentRuntime.Builder builder);

  /** Applies the runtime's config.yml, then {@code mode} when set. */
  void configure(AgentRuntime runtime, AgentrtProperties.@Nullable TelemetryModeSetting mode);
}
