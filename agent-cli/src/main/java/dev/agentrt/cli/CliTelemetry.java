package dev.agentrt.cli;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.telemetry.AgentTelemetry;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The process's telemetry: built on first use from the {@code OTEL_*} variables (no SDK and no cost
 * without them), flushed and shut down by {@link Main} before the process exits, waiting at most
 * {@link AgentTelemetry#DEFAULT_SHUTDOWN_TIMEOUT} ({@code AGENTRT_OBS_SHUTDOWN_TIMEOUT}).
 *
 * <p>The OpenTelemetry SDK reports a failed export through {@code java.util.logging}, with a stack
 * trace, to stderr; the CLI turns that logger off and {@link AgentTelemetry#close()} reports the
 * failure instead, in one warning line.
 */
final class CliTelemetry {
  /** Held so that the setting is not lost: java.util.logging keeps loggers only weakly. */
  private static final Logger OTEL_SDK_LOG = Logger.getLogger("io.opentelemetry");

  private static @Nullable AgentTelemetry current;

  private CliTelemetry() {}

  static synchronized AgentTelemetry get() {
    if (current == null) {
      OTEL_SDK_LOG.setLevel(Level.OFF);
      try {
        current = AgentTelemetry.create();
      } catch (ConfigurationException e) {
        throw new AgentrtException(
            "OpenTelemetry configuration: " + e.getMessage() + " (check the OTEL_* variables)", e);
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
