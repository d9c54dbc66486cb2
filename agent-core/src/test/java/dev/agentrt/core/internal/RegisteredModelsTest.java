package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeOutcome;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models registered with {@code AgentRuntime.Builder.model}: they count as defined for an agent's
 * {@code model:}, and reach discovered executors' {@link ExecutorSetup#models()} in order.
 */
class RegisteredModelsTest {
  @TempDir Path tmp;
  Path config;

  /** Kind {@code probe}: keeps the models its setup had. */
  public static final class ProbeProvider implements NodeExecutorProvider {
    static volatile Map<String, Object> seen;

    @Override
    public String kind() {
      return "probe";
    }

    @Override
    public NodeExecutor create(ExecutorSetup setup) {
      seen = setup.models();
      return new NodeExecutor() {
        @Override
        public String kind() {
          return "probe";
        }

        @Override
        public NodeOutcome execute(
            dev.agentrt.core.spi.NodeInput input, dev.agentrt.core.spi.NodeContext context) {
          return new NodeOutcome.Completed(
              com.fasterxml.jackson.databind.node.TextNode.valueOf("ok"));
        }
      };
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    config = Files.createDirectories(tmp.resolve("agent"));
    Files.createDirectories(config.resolve("workflows"));
    Files.createDirectories(config.resolve("agents"));
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(config.resolve("agents/a.yml"), "name: a\nmodel: mine\n");
    Files.writeString(
        config.resolve("workflows/x.yml"),
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: probe}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """);
    Path services = tmp.resolve("cp/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(NodeExecutorProvider.class.getName()),
        ProbeProvider.class.getName() + "\n");
    ProbeProvider.seen = null;
  }

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
  void agentNamingRegisteredModel_loads_andExecutorsGetModelsInRegistrationOrder()
      throws Exception {
    Object mine = new Object();
    Object other = "another";
    String status =
        withProvider(
            () -> {
              try (AgentRuntime rt =
                  AgentRuntime.builder()
                      .configDir(config)
                      .model("mine", mine)
                      .model("b", other)
                      .build()) {
                return rt.run("x", null).status().name();
              }
            });

    assertThat(status).isEqualTo("COMPLETED");
    assertThat(List.copyOf(ProbeProvider.seen.keySet())).containsExactly("mine", "b");
    assertThat(ProbeProvider.seen.get("mine")).isSameAs(mine);
  }

  @Test
  void agentNamingUnregisteredModel_isAProblemListingRegisteredNames() {
    assertThatThrownBy(
            () ->
                withProvider(
                    () -> {
                      try (AgentRuntime rt =
                          AgentRuntime.builder().configDir(config).model("mien", 1).build()) {
                        return rt;
                      }
                    }))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("model 'mine' is not defined in config.yml models")
        .hasMessageContaining("mien");
  }

  @Test
  void sameNameTwice_isRefusedNamingBothClasses() {
    AgentRuntime.Builder b = AgentRuntime.builder().model("m", "x");

    assertThatThrownBy(() -> b.model("m", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "two models registered as 'm': java.lang.String, java.lang.Integer (register only one)");
  }
}
