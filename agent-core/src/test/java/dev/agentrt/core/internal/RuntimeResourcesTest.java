package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolBusProvider;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The runtime's one tool bus and the executors it closes. */
class RuntimeResourcesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final ToolBusProvider.Setup SETUP =
      new ToolBusProvider.Setup(
          new Manifests(Path.of("."), RuntimeConfig.EMPTY, Map.of(), Map.of(), Map.of(), Set.of()),
          Path.of("."),
          List.of(),
          CLOCK,
          OpenTelemetry.noop());

  @Test
  void toolBus_askedByTwoExecutors_isCreatedOnceFromTheSetupAndClosedOnce() {
    CountingProvider provider = new CountingProvider(List.of());
    RuntimeResources r = new RuntimeResources(SETUP, null, provider);

    ToolBus first = r.toolBus();
    ToolBus second = r.toolBus();
    r.close();
    r.close();

    assertThat(second).isSameAs(first);
    assertThat(provider.created).hasValue(1);
    assertThat(provider.given.clock()).isSameAs(CLOCK);
    assertThat(((FakeBus) first).closes).hasValue(1);
  }

  @Test
  void toolBus_givenOne_isUsedAndLeftOpen() {
    FakeBus given = new FakeBus();
    CountingProvider provider = new CountingProvider(List.of());
    RuntimeResources r = new RuntimeResources(SETUP, given, provider);

    assertThat(r.toolBus()).isSameAs(given);
    r.close();

    assertThat(given.closes).hasValue(0);
    assertThat(provider.created).hasValue(0);
  }

  @Test
  void toolBusProblems_policyUnusable_areReportedAndNoBusIsCreated() {
    NodeProblem bad = NodeProblem.inConfig(List.of("policy", "workspace"), "no such directory");
    CountingProvider provider = new CountingProvider(List.of(bad));
    RuntimeResources r = new RuntimeResources(SETUP, null, provider);

    assertThat(r.toolBusProblems()).containsExactly(bad);
    assertThatThrownBy(r::toolBus).isInstanceOf(IllegalStateException.class);
    assertThat(provider.created).hasValue(0);
  }

  @Test
  void toolBus_noProvider_refusesEveryToolNamingTheDependency() {
    RuntimeResources r = new RuntimeResources(SETUP, null, null);

    assertThat(r.toolBusProblems()).isEmpty();
    assertThat(r.toolBus().descriptors()).isEmpty();
    assertThat(r.toolBus().check("fs.read", "coder", null))
        .get()
        .extracting(ToolResult.Failure::message)
        .asString()
        .contains("tool 'fs.read'")
        .contains("dev.agentrt:agent-tools");
  }

  @Test
  void close_executorsCreatedByProviders_closesThoseThatAreAutoCloseable() {
    RuntimeResources r = new RuntimeResources(SETUP, null, null);
    ClosingExecutor ex = new ClosingExecutor();
    r.create(
        new NodeExecutorProvider() {
          @Override
          public String kind() {
            return "closing";
          }

          @Override
          public NodeExecutor create(dev.agentrt.core.spi.ExecutorSetup setup) {
            return ex;
          }
        });

    r.close();

    assertThat(ex.closes).hasValue(1);
  }

  private static final class CountingProvider implements ToolBusProvider {
    final AtomicInteger created = new AtomicInteger();
    final List<NodeProblem> problems;
    @Nullable Setup given;

    CountingProvider(List<NodeProblem> problems) {
      this.problems = problems;
    }

    @Override
    public List<NodeProblem> check(Setup setup) {
      return problems;
    }

    @Override
    public ToolBus create(Setup setup) {
      created.incrementAndGet();
      given = setup;
      return new FakeBus();
    }
  }

  private static final class FakeBus implements ToolBus {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public List<ToolDescriptor> descriptors() {
      return List.of();
    }

    @Override
    public Optional<ToolDescriptor> descriptor(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<ToolResult.Failure> check(
        String tool, @Nullable String agent, @Nullable Collection<String> allowed) {
      return Optional.empty();
    }

    @Override
    public Optional<ToolResult.Failure> validate(String tool, JsonNode arguments) {
      return Optional.empty();
    }

    @Override
    public ToolResult call(Call call, @Nullable Decision decision) {
      return ToolResult.failure("fake");
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static final class ClosingExecutor implements NodeExecutor, AutoCloseable {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public String kind() {
      return "closing";
    }

    @Override
    public NodeOutcome execute(NodeInput input, NodeContext context) {
      return new NodeOutcome.Failed("not run", null, false);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }
}
