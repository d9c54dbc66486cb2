package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryStore;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link NodeExecutorProvider} may use to build its executor. Implemented by the engine.
 *
 * @since 0.1
 */
public interface ExecutorSetup {

  /** Everything loaded from the configuration directory. */
  Manifests manifests();

  /** The configuration directory ({@code .agent/}); relative paths in manifests resolve here. */
  Path configDir();

  /**
   * The tools registered with {@code AgentRuntime.Builder.tool(...)}, in registration order, names
   * unique. An executor that calls tools adds them to its tool bus, where they win over discovered
   * tools of the same name. Empty by default.
   *
   * @since 0.1
   */
  default List<Tool> tools() {
    return List.of();
  }

  /**
   * The model instances registered with {@code AgentRuntime.Builder.model(name, model)}, by name,
   * in registration order: each replaces the model that {@code config.yml}'s {@code models.<name>}
   * entry would create, or defines {@code models.<name>} when there is no such entry. The values
   * are whatever was registered (agent-llm's executor accepts LangChain4j {@code ChatModel}s and
   * {@code StreamingChatModel}s and reports any other type as a problem). Empty by default.
   *
   * @since 0.1
   */
  default Map<String, Object> models() {
    return Map.of();
  }

  /**
   * The prices given in code for registered models ({@code AgentRuntime.Builder.model(name, model,
   * pricing)}), by name; they win over the {@code pricing:} of a {@code models.<name>} entry. Empty
   * by default.
   *
   * @since 0.1
   */
  default Map<String, dev.agentrt.core.manifest.ModelSpec.PricingSpec> modelPricing() {
    return Map.of();
  }

  /**
   * The OpenTelemetry instance the runtime traces with, for executors that add spans of their own
   * ({@code execute_tool}, {@code chat}) under the engine's step spans. A no-op unless an SDK is
   * installed.
   *
   * @since 0.1
   */
  default OpenTelemetry openTelemetry() {
    return OpenTelemetry.noop();
  }

  /**
   * The runtime's clock (set with {@code AgentRuntime.Builder.clock(...)}), for executors that
   * stamp or time what they do. The UTC system clock by default.
   *
   * @since 0.1
   */
  default Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The runtime's one tool bus, shared by every executor that calls tools; the runtime owns it and
   * closes it (unless it was given with {@code AgentRuntime.Builder.toolBus(...)}), so an executor
   * must not close it. Created on the first call, by the {@link ToolBusProvider} on the classpath.
   * Without a provider it is a bus without tools whose every check names the dependency to add
   * ({@code dev.agentrt:agent-tools}). Call it only when {@link #toolBusProblems()} is empty.
   *
   * @throws IllegalStateException if {@link #toolBusProblems()} is not empty
   * @since 0.1
   */
  default ToolBus toolBus() {
    return ToolBus.missing();
  }

  /**
   * Why the tool bus cannot be created from this configuration (problems of {@code config.yml}'s
   * {@code policy:}, at their keys); empty if {@link #toolBus()} may be called. An executor that
   * needs the bus returns {@link NodeExecutor#unusable} with these problems.
   *
   * @since 0.1
   */
  default List<NodeProblem> toolBusProblems() {
    return List.of();
  }

  /**
   * The runtime's embedding model ({@code AgentRuntime.Builder.embedder(...)}, or the one {@link
   * Embedder} discovered on the class path), shared with memory search; empty if it has none.
   *
   * @since 0.1
   */
  default Optional<Embedder> embedder() {
    return Optional.empty();
  }

  /**
   * The runtime's memory ({@code AgentRuntime.memory()}), for executors that read or write it
   * (context profiles of agent nodes); by default a store that refuses every operation.
   */
  default MemoryStore memory() {
    return MemoryStore.unavailable(
        "this runtime has no memory: add dev.agentrt:agent-memory to the class path");
  }
}
