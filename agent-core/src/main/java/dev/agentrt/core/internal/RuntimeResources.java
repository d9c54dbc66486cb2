package dev.agentrt.core.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolBusProvider;
import dev.agentrt.core.spi.ToolDescriptor;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a runtime creates for its executors and closes with itself: the one {@link ToolBus} (created
 * on first use by the discovered {@link ToolBusProvider}, unless one was given) and the executors
 * its providers create. Also the {@link ExecutorSetup} those providers get.
 */
public final class RuntimeResources implements ExecutorSetup {
  private static final Logger log = LoggerFactory.getLogger(RuntimeResources.class);

  private final ToolBusProvider.Setup setup;
  private final @Nullable ToolBus givenBus;
  private final @Nullable ToolBusProvider provider;
  private final List<NodeExecutor> created = new ArrayList<>();
  private @Nullable List<NodeProblem> problems;
  private @Nullable ToolBus ownBus;
  private boolean closed;
  private @Nullable MemoryStore memory;
  private @Nullable Embedder embedder;
  private Map<String, Object> models = Map.of();
  private Map<String, ModelSpec.PricingSpec> pricing = Map.of();

  /**
   * @param givenBus a bus given to the builder (not closed here), or null to create one
   * @param discovery whether to look for a {@link ToolBusProvider}
   * @param memory the runtime's memory: what the bus hands to tools, and executors' {@link
   *     #memory()}
   * @param models the model instances registered by name, in registration order ({@link #models()})
   * @param pricing the prices given in code for registered models ({@link #modelPricing()})
   * @throws dev.agentrt.core.AgentrtException if two ToolBusProviders are on the classpath
   */
  public RuntimeResources(
      Manifests manifests,
      Path configDir,
      List<Tool> tools,
      Clock clock,
      OpenTelemetry otel,
      @Nullable ToolBus givenBus,
      boolean discovery,
      RuntimeMemory memory,
      Map<String, Object> models,
      Map<String, ModelSpec.PricingSpec> pricing) {
    this(
        new ToolBusProvider.Setup(manifests, configDir, tools, clock, otel, memory::access),
        givenBus,
        discover(discovery && givenBus == null));
    this.memory = memory;
    this.embedder = memory.embedderOrNull();
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    this.pricing = Map.copyOf(pricing);
  }

  RuntimeResources(
      ToolBusProvider.Setup setup, @Nullable ToolBus givenBus, @Nullable ToolBusProvider provider) {
    this.setup = setup;
    this.givenBus = givenBus;
    this.provider = provider;
  }

  private static @Nullable ToolBusProvider discover(boolean discovery) {
    List<ToolBusProvider> found = Plugins.load(ToolBusProvider.class, discovery);
    if (found.size() > 1) {
      throw new AgentrtException(
          "two ToolBusProviders are on the classpath: "
              + found.get(0).getClass().getName()
              + ", "
              + found.get(1).getClass().getName()
              + " (remove one, or give a bus with AgentRuntime.builder().toolBus(...))");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Creates the executor of {@code provider}'s kind, to be closed with the runtime if it is {@link
   * AutoCloseable}.
   */
  public synchronized NodeExecutor create(NodeExecutorProvider provider) {
    NodeExecutor ex = provider.create(this);
    created.add(ex);
    return ex;
  }

  @Override
  public MemoryStore memory() {
    return memory != null ? memory : ExecutorSetup.super.memory();
  }

  @Override
  public Optional<Embedder> embedder() {
    return Optional.ofNullable(embedder);
  }

  @Override
  public Manifests manifests() {
    return setup.manifests();
  }

  @Override
  public Path configDir() {
    return setup.configDir();
  }

  @Override
  public List<Tool> tools() {
    return setup.tools();
  }

  @Override
  public Map<String, Object> models() {
    return models;
  }

  @Override
  public Map<String, ModelSpec.PricingSpec> modelPricing() {
    return pricing;
  }

  @Override
  public OpenTelemetry openTelemetry() {
    return setup.openTelemetry();
  }

  @Override
  public Clock clock() {
    return setup.clock();
  }

  /**
   * The descriptors of the runtime's tool bus: the given one's, or the one created here (creating
   * it); {@code fallback} when there is none to create (no provider, or its policy has problems).
   *
   * @throws IllegalStateException if the bus is to be created and the runtime is closed
   */
  public synchronized List<ToolDescriptor> toolDescriptors(
      Supplier<List<ToolDescriptor>> fallback) {
    if (givenBus != null) return givenBus.descriptors();
    if (provider == null || !toolBusProblems().isEmpty()) return fallback.get();
    return toolBus().descriptors();
  }

  @Override
  public synchronized List<NodeProblem> toolBusProblems() {
    if (problems == null) {
      problems =
          givenBus != null || provider == null ? List.of() : List.copyOf(provider.check(setup));
    }
    return problems;
  }

  @Override
  public synchronized ToolBus toolBus() {
    if (givenBus != null) return givenBus;
    if (provider == null) return ToolBus.missing();
    if (closed) throw new IllegalStateException("the AgentRuntime is closed");
    if (ownBus == null) {
      if (!toolBusProblems().isEmpty()) {
        throw new IllegalStateException("the tool bus cannot be created: " + toolBusProblems());
      }
      ownBus = provider.create(setup);
    }
    return ownBus;
  }

  /**
   * Closes the executors created here that are {@link AutoCloseable}, then the bus created here; a
   * failure is logged and the rest are still closed. Idempotent.
   */
  public synchronized void close() {
    closed = true;
    for (NodeExecutor ex : created) {
      if (ex instanceof AutoCloseable c) closeQuietly(c, ex.getClass().getName());
    }
    created.clear();
    if (ownBus != null) closeQuietly(ownBus, ownBus.getClass().getName());
    ownBus = null;
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {} failed", what, e);
    }
  }
}
