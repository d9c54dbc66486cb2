package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FunctionProvider}s found through a context class loader that lists them in {@code
 * META-INF/services} (as the CLI's {@code --classpath} does): the runtime runs their functions, the
 * loader knows their names, registered functions win, two providers of one name fail.
 */
class FunctionProviderTest {
  @TempDir Path dir;
  @TempDir Path services;

  /** Provides {@code greet}, answering {@code provided}. */
  public static final class Greeter implements FunctionProvider {
    @Override
    public Map<String, NodeFunction> functions() {
      return Map.of("greet", (input, context) -> TextNode.valueOf("provided"));
    }
  }

  /** Also provides {@code greet}. */
  public static final class OtherGreeter implements FunctionProvider {
    @Override
    public Map<String, NodeFunction> functions() {
      return Map.of("greet", (input, context) -> TextNode.valueOf("other"));
    }
  }

  @BeforeEach
  void workflow() throws IOException {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: work, kind: function, function: greet}
          - {id: done, role: exit, output: "{{work}}"}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """);
  }

  /** {@code action} with a context loader that lists {@code providers} as FunctionProviders. */
  <T> T withProviders(Supplier<T> action, Class<?>... providers) throws IOException {
    Path list = services.resolve("META-INF/services/" + FunctionProvider.class.getName());
    Files.createDirectories(list.getParent());
    StringBuilder sb = new StringBuilder();
    for (Class<?> p : providers) sb.append(p.getName()).append('\n');
    Files.writeString(list, sb.toString());
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {services.toUri().toURL()}, getClass().getClassLoader())) {
      t.setContextClassLoader(loader);
      return action.get();
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  @Test
  void build_providedFunction_runs() throws IOException {
    try (AgentRuntime rt =
        withProviders(() -> AgentRuntime.builder().configDir(dir).build(), Greeter.class)) {
      var result = rt.run("w", Map.of());

      assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(result.output().asText()).isEqualTo("provided");
    }
  }

  @Test
  void build_registeredFunctionOfTheSameName_wins_andTwoProvidersDoNotClash() throws IOException {
    try (AgentRuntime rt =
        withProviders(
            () ->
                AgentRuntime.builder()
                    .configDir(dir)
                    .function("greet", (input, context) -> TextNode.valueOf("registered"))
                    .build(),
            Greeter.class,
            OtherGreeter.class)) {
      assertThat(rt.run("w", Map.of()).output().asText()).isEqualTo("registered");
    }
  }

  @Test
  void build_twoProvidersOfOneName_failsNamingBothClasses() {
    assertThatThrownBy(
            () ->
                withProviders(
                    () -> AgentRuntime.builder().configDir(dir).build(),
                    Greeter.class,
                    OtherGreeter.class))
        .isInstanceOf(AgentrtException.class)
        .hasMessage(
            "two FunctionProviders provide function 'greet': "
                + Greeter.class.getName()
                + ", "
                + OtherGreeter.class.getName()
                + " (remove one, or register one with AgentRuntime.builder().function(...))");
  }

  @Test
  void build_discoveryOff_providedFunctionIsNotRegistered() {
    assertThatThrownBy(
            () ->
                withProviders(
                    () -> AgentRuntime.builder().configDir(dir).discovery(false).build(),
                    Greeter.class))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("function 'greet' is not registered");
  }

  @Test
  void load_providedFunction_isKnown() throws IOException {
    ManifestLoader.Result result =
        withProviders(() -> ManifestLoader.ofDefaults().load(dir), Greeter.class);

    assertThat(result.problems()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void load_twoProvidersOfOneName_failsNamingBothClasses() {
    assertThatThrownBy(
            () ->
                withProviders(
                    () -> ManifestLoader.ofDefaults().load(dir), Greeter.class, OtherGreeter.class))
        .isInstanceOf(AgentrtException.class)
        .hasMessageContaining(Greeter.class.getName() + ", " + OtherGreeter.class.getName());
  }

  @Test
  void load_unregisteredFunction_isAProblem_orWithLenientFunctionsAWarningAtItsKey() {
    ManifestLoader strict = ManifestLoader.builder().discovery(false).build();
    assertThat(strict.load(dir).problems())
        .extracting(ManifestProblem::message)
        .containsExactly(
            "node 'work': function 'greet' is not registered (register it with"
                + " AgentRuntime.builder().function(\"greet\", ...) or provide it with a"
                + " FunctionProvider)");

    ManifestLoader.Result lenient = strict.toBuilder().lenientFunctions(true).build().load(dir);

    assertThat(lenient.problems()).isEmpty();
    assertThat(lenient.isValid()).isTrue();
    assertThat(lenient.unregisteredFunctions()).containsExactly("greet");
    assertThat(lenient.warnings())
        .extracting(Object::toString)
        .containsExactly(
            "workflows/w.yml:4:42: node 'work': function 'greet' is not registered (register it"
                + " with AgentRuntime.builder().function(\"greet\", ...) or provide it with a"
                + " FunctionProvider)");
  }

  @Test
  void load_lenientFunctions_registeredFunctionIsNoWarning() {
    ManifestLoader.Result result =
        ManifestLoader.builder()
            .discovery(false)
            .lenientFunctions(true)
            .function("greet")
            .build()
            .load(dir);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.unregisteredFunctions()).isEmpty();
  }
}
