package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.memory.MemoryAccess;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Creates the runtime's {@link ToolBus}, found through {@link java.util.ServiceLoader} (list the
 * implementation in {@code META-INF/services/dev.agentrt.core.spi.ToolBusProvider}; agent-tools
 * provides one). The runtime creates at most one bus, when the first executor asks for it, and
 * closes it with itself. A bus given to {@code AgentRuntime.builder().toolBus(...)} wins and no
 * provider is used. Two providers on the classpath are an error naming both classes.
 *
 * @since 0.1
 */
public interface ToolBusProvider {

  /**
   * What is wrong with the configuration a bus would be created from (typically {@link
   * NodeProblem#inConfig} problems of {@code config.yml}'s {@code policy:}); empty if {@link
   * #create} may be called. The runtime reports them at every node that uses tools.
   */
  List<NodeProblem> check(Setup setup);

  /** Creates the bus; called at most once per runtime, only when {@link #check} found nothing. */
  ToolBus create(Setup setup);

  /**
   * What a bus is created from.
   *
   * @param manifests everything loaded from the configuration directory ({@code config.yml}'s
   *     {@code policy:})
   * @param configDir the configuration directory
   * @param tools the tools registered with {@code AgentRuntime.Builder.tool(...)}, in registration
   *     order; they win over discovered tools of the same name
   * @param clock the runtime's clock
   * @param openTelemetry the runtime's OpenTelemetry instance
   * @param memory the runtime's memory for each call, which the bus hands to tools through {@link
   *     ToolContext#memory()}
   * @since 0.1
   */
  record Setup(
      Manifests manifests,
      Path configDir,
      List<Tool> tools,
      Clock clock,
      OpenTelemetry openTelemetry,
      MemoryAccess.Source memory) {
    public Setup {
      Objects.requireNonNull(manifests, "manifests");
      Objects.requireNonNull(configDir, "configDir");
      tools = List.copyOf(tools);
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(openTelemetry, "openTelemetry");
      Objects.requireNonNull(memory, "memory");
    }

    /** A setup whose tools have no memory ({@link MemoryAccess.Source#none()}). */
    public Setup(
        Manifests manifests,
        Path configDir,
        List<Tool> tools,
        Clock clock,
        OpenTelemetry openTelemetry) {
      this(manifests, configDir, tools, clock, openTelemetry, MemoryAccess.Source.none());
    }
  }
}
