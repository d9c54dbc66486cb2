package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A discovered provider cannot take a kind built into agent-core: it is refused, by name. */
class BuiltInKindProviderTest {
  @TempDir Path tmp;
  Path config;

  /** A provider claiming kind {@code transform}, listed only by the class loader of the test. */
  public static final class TransformProvider implements NodeExecutorProvider {
    public static int created;

    @Override
    public String kind() {
      return "transform";
    }

    @Override
    public NodeExecutor create(ExecutorSetup setup) {
      created++;
      throw new UnsupportedOperationException("a refused provider is never created");
    }
  }

  private static final String REFUSED =
      "NodeExecutorProvider "
          + TransformProvider.class.getName()
          + " declares kind 'transform', which is built into agent-core and cannot be replaced"
          + " (give the provider another kind, or remove it from"
          + " META-INF/services/dev.agentrt.core.spi.NodeExecutorProvider)";

  @BeforeEach
  void setUp() throws IOException {
    config = Files.createDirectories(tmp.resolve("agent"));
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(
        config.resolve("workflows/x.yml"),
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """);
    Path services = tmp.resolve("cp/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(NodeExecutorProvider.class.getName()),
        TransformProvider.class.getName() + "\n");
    TransformProvider.created = 0;
  }

  /** Runs {@code call} with a context class loader that also lists {@link TransformProvider}. */
  private <T> T withProvider(Callable<T> call) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader cl =
        new URLClassLoader(
            new URL[] {tmp.resolve("cp").toUri().toURL()}, getClass().getClassLoader())) {
      t.setContextClassLoader(cl);
      return call.call();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void build_discoveredProviderOfBuiltInKind_isRefusedNamingItsClass() {
    assertThatThrownBy(
            () ->
                withProvider(
                    () -> {
                      try (AgentRuntime rt = AgentRuntime.builder().configDir(config).build()) {
                        return rt.manifests();
                      }
                    }))
        .isInstanceOf(AgentrtException.class)
        .hasMessage(REFUSED);
    assertThat(TransformProvider.created).isZero();
  }

  @Test
  void load_discoveredProviderOfBuiltInKind_isRefusedNamingItsClass() {
    assertThatThrownBy(() -> withProvider(() -> ManifestLoader.ofDefaults().load(config)))
        .isInstanceOf(AgentrtException.class)
        .hasMessage(REFUSED);
  }

  @Test
  void load_discoveryOff_doesNotSeeTheProvider() throws Exception {
    boolean valid =
        withProvider(() -> ManifestLoader.builder().discovery(false).build().load(config))
            .isValid();

    assertThat(valid).isTrue();
  }
}
