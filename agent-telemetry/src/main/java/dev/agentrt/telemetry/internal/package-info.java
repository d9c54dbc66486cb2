/**
 * Implementation of agent-telemetry: exporter decorators that redact and filter what is exported,
 * the span processor that marks debug spans, and JVM metrics. Not API: nothing here is covered by
 * compatibility promises and users must not need it.
 */
@NullMarked
package dev.agentrt.telemetry.internal;

import org.jspecify.annotations.NullMarked;
