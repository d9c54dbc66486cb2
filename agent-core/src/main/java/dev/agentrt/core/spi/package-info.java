/**
 * agentrt's service-provider interfaces, for modules and users that extend the runtime: {@link
 * dev.agentrt.core.spi.NodeExecutor} (node kinds), {@link dev.agentrt.core.spi.CheckpointStore}
 * (durable run logs) and {@link dev.agentrt.core.spi.RunListener} (events).
 *
 * <p>Implementations are registered on {@link dev.agentrt.core.AgentRuntime.Builder} or discovered
 * with {@link java.util.ServiceLoader} through their {@code *Provider} interfaces; a registered
 * instance wins over a discovered one, and two discovered providers for the same name are an error
 * naming both classes. Interfaces whose Javadoc says "implemented by the engine" ({@link
 * dev.agentrt.core.spi.NodeContext}, {@link dev.agentrt.core.spi.NodeInput}, {@link
 * dev.agentrt.core.spi.Budget}, {@link dev.agentrt.core.spi.CallJournal}) may gain methods in any
 * release and must not be implemented outside agentrt.
 */
@NullMarked
package dev.agentrt.core.spi;

import org.jspecify.annotations.NullMarked;
