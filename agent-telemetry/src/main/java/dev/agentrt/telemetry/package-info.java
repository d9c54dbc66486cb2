/**
 * Telemetry for agentrt: {@link dev.agentrt.telemetry.AgentTelemetry} builds an OpenTelemetry SDK
 * from {@code config.yml}'s {@code telemetry:} section and the standard {@code OTEL_*} variables,
 * decorates every exporter so that known secrets and configured patterns are redacted from
 * everything exported, keeps prompts, completions and tool payloads out of exports unless debug
 * output is on ({@link dev.agentrt.telemetry.TelemetryMode}), and registers the runtime's metrics
 * ({@link dev.agentrt.telemetry.MetricsListener}, {@link dev.agentrt.telemetry.GenAiMetrics}).
 *
 * <p>See {@code docs/telemetry.md} for configuration, span names and metric names.
 */
@NullMarked
package dev.agentrt.telemetry;

import org.jspecify.annotations.NullMarked;
