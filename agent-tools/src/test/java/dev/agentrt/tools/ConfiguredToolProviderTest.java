package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A discovered {@link ToolProvider} whose tools come from the configuration: a bus built for a
 * configuration asks it with {@link ToolProvider#tools(ToolProvider.Setup)} and closes it with
 * itself. The provider is discovered through a class loader that lists it in its own {@code
 * META-INF/services}, set as the thread's context loader (as {@code Plugins} looks there first).
 */
class ConfiguredToolProviderTest {
  /** What the providers saw and did, in order. */
  static final List<String> EVENTS = new ArrayList<>();

  @TempDir Path dir;
  ClassLoader saved;
  URLClassLoader loader;

  @BeforeEach
  void discover() throws IOException {
    EVENTS.clear();
    Path services = Files.createDirectories(dir.resolve("cp/META-INF/services"));
    Files.writeString(
        services.resolve(ToolProvider.class.getName()), ConfiguredProvider.class.getName() + "\n");
    loader =
        new URLClassLoader(
            new URL[] {dir.resolve("cp").toUri().toURL()}, getClass().getClassLoader());
    saved = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
  }

  @AfterEach
  void restore() throws IOException {
    Thread.currentThread().setContextClassLoader(saved);
    loader.close();
  }

  Manifests manifests() {
    return new Manifests(dir, RuntimeConfig.EMPTY, Map.of(), Map.of(), Map.of(), Set.of());
  }

  @Test
  void build_withConfiguration_providerGetsItsSetupAndIsClosedWithTheBus() {
    ToolBus bus = ToolBus.builder().configuration(manifests(), dir).build();

    assertThat(bus.descriptor("configured.echo")).isPresent();
    assertThat(EVENTS).containsExactly("tools(setup) " + dir);
    bus.close();
    assertThat(EVENTS).containsExactly("tools(setup) " + dir, "close");
  }

  @Test
  void build_withoutConfiguration_providerIsAskedWithoutSetup() {
    try (ToolBus bus = ToolBus.builder().build()) {
      assertThat(bus.descriptor("configured.echo")).isEmpty();
      assertThat(EVENTS).containsExactly("tools()");
    }
    assertThat(EVENTS).containsExactly("tools()", "close");
  }

  @Test
  void build_providerFailsForTheConfiguration_errorPassesAndProviderIsClosed() {
    ConfiguredProvider.failNext = true;
    assertThatThrownBy(() -> ToolBus.builder().configuration(manifests(), dir).build())
        .isInstanceOf(AgentrtException.class)
        .hasMessage("server 'x' did not start");
    assertThat(EVENTS).containsExactly("tools(setup) " + dir, "close");
  }

  /** Offers {@code configured.echo} for a configuration only; records what it is asked. */
  public static final class ConfiguredProvider implements ToolProvider, AutoCloseable {
    static boolean failNext;

    @Override
    public List<Tool> tools() {
      EVENTS.add("tools()");
      return List.of();
    }

    @Override
    public List<Tool> tools(Setup setup) {
      EVENTS.add("tools(setup) " + setup.configDir());
      if (failNext) {
        failNext = false;
        throw new AgentrtException("server 'x' did not start");
      }
      return List.of(
          tool("configured.echo", Effect.NONE, (c, x) -> ToolResult.success(c.arguments())));
    }

    @Override
    public void close() {
      EVENTS.add("close");
    }
  }
}
