package dev.agentrt.spring;

import dev.agentrt.core.AgentRuntime;

/**
 * Adjusts the {@link AgentRuntime.Builder} of the auto-configured runtime after the starter has
 * applied the {@code agentrt.*} properties and registered the application's beans, and before the
 * runtime is built. Declare one or more as beans; they are called in {@link
 * org.springframework.core.annotation.Order} order.
 *
 * <pre>{@code
 * @Bean
 * AgentRuntimeCustomizer clock() {
 *   return builder -> builder.clock(Clock.systemUTC()).closeTimeout(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AgentRuntimeCustomizer {
  /** Changes {@code builder}; called once, on the thread that creates the runtime bean. */
  void customize(AgentRuntime.Builder builder);
}
