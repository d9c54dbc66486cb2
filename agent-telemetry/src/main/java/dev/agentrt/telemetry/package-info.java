/**
 * OpenTelemetry SDK set-up from {@code config.yml} and {@code OTEL_*} variables, exporters,
 * shipping and debug modes, and redaction. Not implemented yet: see the telemetry issue.
 */
@NullMarked
package dev.agentrt.telemetry;

import org.jspecify.annotations.NullMarked;
