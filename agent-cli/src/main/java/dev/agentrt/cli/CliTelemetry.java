package dev.agentrt.cli;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.telemetry.AgentTelemetry;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * The process's telemetry: built on first use from the {@code OTEL_*} variables (no SDK and no
 * cost without them), flushed and shut down by {@link Main} before the process exits.
 */
final class CliTelemetry {
  private static @Nullable AgentTelemetry current;

  private CliTelemetry() {}

  static synchronized AgentTelemetry get() {
    if (current == null) {
      try {
        current = AgentTelemetry.create();
      } catch (ConfigurationException e) {
        throw new AgentrtException("OpenTelemetry configuration: " + e.getMessage() + " (check the OTEL_* variables)", e);
      }
    }
    return current;
  }

  /** Flushes and shuts down the telemetry, if any was built. */
  static synchronized void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
