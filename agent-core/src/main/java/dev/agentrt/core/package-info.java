/**
 * agentrt's public API for callers: {@link dev.agentrt.core.AgentRuntime} loads a {@code .agent/}
 * directory, validates it, and runs workflows; {@link dev.agentrt.core.RunResult} and {@link
 * dev.agentrt.core.RunHandle} report on runs.
 *
 * <p>Everything in this package is safe to use from several threads unless a type says otherwise.
 * Types marked {@link dev.agentrt.core.Experimental} may still change.
 */
@NullMarked
package dev.agentrt.core;

import org.jspecify.annotations.NullMarked;
