package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentrtException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The discovery rules of {@link Plugins}, with real {@code META-INF/services} files in the test
 * resources: {@link Greeter} has two providers named {@code hello} and one named {@code bye};
 * {@link Counter} has one provider.
 */
class PluginsTest {
  private static final String CLASH = "two Greeters say '%s': %s, %s";

  /** A test SPI. */
  public interface Greeter {
    String name();
  }

  /** A second test SPI. */
  public interface Counter {}

  /** Provider of {@code hello}. */
  public static final class Hello implements Greeter {
    @Override
    public String name() {
      return "hello";
    }
  }

  /** A second provider of {@code hello}. */
  public static final class OtherHello implements Greeter {
    @Override
    public String name() {
      return "hello";
    }
  }

  /** Provider of {@code bye}. */
  public static final class Bye implements Greeter {
    @Override
    public String name() {
      return "bye";
    }
  }

  /** The one {@link Counter}. */
  public static final class OneCounter implements Counter {}

  @Test
  void load_servicesFile_findsEveryProviderInOrder() {
    assertThat(Plugins.load(Greeter.class, true))
        .extracting(g -> g.getClass().getSimpleName())
        .containsExactly("Hello", "OtherHello", "Bye");
  }

  @Test
  void load_discoveryOff_findsNothing() {
    assertThat(Plugins.load(Counter.class, false)).isEmpty();
    assertThat(Plugins.byName(Greeter.class, false, Greeter::name, Set.of(), CLASH)).isEmpty();
  }

  @Test
  void byName_twoProvidersOfOneName_failsNamingBothClasses() {
    assertThatThrownBy(() -> Plugins.byName(Greeter.class, true, Greeter::name, Set.of(), CLASH))
        .isInstanceOf(AgentrtException.class)
        .hasMessage(
            "two Greeters say 'hello': "
                + Hello.class.getName()
                + ", "
                + OtherHello.class.getName());
  }

  @Test
  void byName_explicitlyRegisteredName_winsWithoutClash() {
    Map<String, Greeter> found =
        Plugins.byName(Greeter.class, true, Greeter::name, Set.of("hello"), CLASH);

    assertThat(found).containsOnlyKeys("bye");
  }

  @Test
  void index_sameClassFoundTwice_countsOnce() {
    Map<String, Greeter> found =
        Plugins.index(List.of(new Bye(), new Bye()), Greeter::name, g -> g, Set.of(), CLASH);

    assertThat(found).containsOnlyKeys("bye");
  }

  @Test
  void load_contextLoaderCannotSeeTheSpi_usesTheSpiLoader() throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader isolated = new URLClassLoader(new URL[0], null)) {
      t.setContextClassLoader(isolated);

      assertThat(Plugins.load(Counter.class, true)).singleElement().isInstanceOf(OneCounter.class);
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void load_noContextLoader_usesTheSpiLoader() {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try {
      t.setContextClassLoader(null);

      assertThat(Plugins.load(Counter.class, true)).singleElement().isInstanceOf(OneCounter.class);
    } finally {
      t.setContextClassLoader(before);
    }
  }
}
