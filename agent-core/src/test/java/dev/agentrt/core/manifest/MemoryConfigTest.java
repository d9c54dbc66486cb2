package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.internal.RuntimeMemory;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.spi.MemoryStoreProvider;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents' {@code memory:} permissions, the runtime's memory wiring and its errors. */
class MemoryConfigTest {
  @TempDir Path root;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(root.resolve("shop/.agent")).workflow(ConfigSectionsTest.WF);
  }

  @Test
  void access_agentPermissions_areTheListedScopesElseTaskAndProject() {
    fx.agent("scribe", "name: scribe\nmemory: {read: [task, project, global], write: [task]}\n")
        .agent("plain", "name: plain\n");
    Manifests m = fx.load();
    RuntimeMemory memory =
        new RuntimeMemory(
            m,
            fx.dir,
            Map.of("sqlite", new Recording()),
            null,
            null,
            Clock.systemUTC(),
            OpenTelemetry.noop(),
            (key, msg) -> new ManifestProblem("config.yml", 0, 0, msg));

    MemoryAccess scribe = memory.access("run-1", "scribe");
    MemoryAccess plain = memory.access("run-1", "plain");
    MemoryAccess node = memory.access("run-1", null);

    assertThat(scribe.read())
        .isEqualTo(EnumSet.of(MemoryScope.TASK, MemoryScope.PROJECT, MemoryScope.GLOBAL));
    assertThat(scribe.write()).containsExactly(MemoryScope.TASK);
    assertThat(plain.read()).isEqualTo(EnumSet.of(MemoryScope.TASK, MemoryScope.PROJECT));
    assertThat(plain.write()).isEqualTo(EnumSet.of(MemoryScope.TASK, MemoryScope.PROJECT));
    assertThat(node.write()).isEqualTo(plain.write());
    assertThat(scribe.space(MemoryScope.TASK)).isEqualTo(MemorySpace.task("run-1"));
    assertThat(scribe.space(MemoryScope.PROJECT)).isEqualTo(MemorySpace.project("shop"));
  }

  @Test
  void load_agentUnknownScope_isReportedAtTheValueWithDidYouMean() {
    String agent = "name: scribe\nmemory: {read: [task, projct], write: []}\n";
    fx.agent("scribe", agent);

    assertThat(fx.problems())
        .containsExactly(
            "agents/scribe.yml:"
                + at(agent, "projct", 1)
                + ": agent 'scribe': memory.read: unknown scope 'projct' (did you mean"
                + " 'project'?) (scopes: task, project, global)");
  }

  @Test
  void memory_noBackendOnClassPath_failsNamingTheDependency() {
    try (AgentRuntime rt = fx.build()) {
      assertThatThrownBy(rt::memory)
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("add dependency dev.agentrt:agent-memory");
      assertThatThrownBy(() -> rt.memorySpace(MemoryScope.TASK))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("MemorySpace.task(runId)");
    }
  }

  @Test
  void memory_registeredBackend_isOpenedOnceLazilyWithTheEmbedderAndClosedWithTheRuntime() {
    Recording backend = new Recording();
    Embedder embedder =
        new Embedder() {
          @Override
          public String model() {
            return "m";
          }

          @Override
          public int dimension() {
            return 1;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            return texts.stream().map(t -> new float[] {1f}).toList();
          }
        };
    AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(fx.dir)
            .discovery(false)
            .memoryBackend(backend)
            .embedder(embedder)
            .build();
    assertThat(backend.setups).isEmpty();

    MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
    rt.memory().put(project, MemoryWrite.of("a", "x"));
    rt.memory().get(MemorySpace.task("r"), "a");
    rt.close();

    assertThat(backend.setups).hasSize(1);
    assertThat(backend.setups.get(0).embedder()).isSameAs(embedder);
    assertThat(backend.setups.get(0).scopes()).containsOnlyKeys(MemoryScope.values());
    assertThat(backend.setups.get(0).runsDatabase()).isNull();
    assertThat(backend.closed).isEqualTo(1);
    assertThatThrownBy(() -> rt.memory().get(project, "a")).isInstanceOf(MemoryException.class);
  }

  @Test
  void build_unknownBackend_isAProblemAtItsKeyWithDidYouMean() {
    String config = "memory:\n  project: {backend: sqlit}\n";
    fx.config(config);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(config, "sqlit", 1)
                + ": memory.project.backend: no memory backend 'sqlit' on the class path (did you"
                + " mean 'sqlite'?) (backends: jsonl, sqlite)");
  }

  @Test
  void memory_agentMemoryBackendNamedButAbsent_failsWhenUsedNamingTheDependency() {
    fx.config("memory:\n  project: {backend: jsonl}\n");
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(fx.dir)
            .discovery(false)
            .memoryBackend(new Recording())
            .build()) {
      MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
      assertThat(rt.memory().get(MemorySpace.task("r"), "k")).isEmpty();
      assertThatThrownBy(() -> rt.memory().get(project, "k"))
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("no memory backend 'jsonl' for scope 'project'")
          .hasMessageContaining("add dependency dev.agentrt:agent-memory");
    }
  }

  /** A backend named sqlite that records how it was opened and closed; stores nothing. */
  static final class Recording implements MemoryStoreProvider {
    final List<Setup> setups = new ArrayList<>();
    int closed;

    @Override
    public String backend() {
      return "sqlite";
    }

    @Override
    public MemoryStore open(Setup setup) {
      setups.add(setup);
      return new MemoryStore() {
        @Override
        public MemoryItem put(MemorySpace space, MemoryWrite write) {
          return new MemoryItem(
              space,
              write.key(),
              write.text(),
              null,
              null,
              setup.clock().instant(),
              setup.clock().instant());
        }

        @Override
        public Optional<MemoryItem> get(MemorySpace space, String key) {
          return Optional.empty();
        }

        @Override
        public boolean delete(MemorySpace space, String key) {
          return false;
        }

        @Override
        public List<MemoryHit> search(MemoryQuery query) {
          return List.of();
        }

        @Override
        public int prune() {
          return 0;
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }
  }
}
