package dev.agentrt.core.spi;

import dev.agentrt.core.AgentrtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * The one way agentrt discovers plugins ({@link NodeExecutorProvider}, {@link
 * CheckpointStoreProvider}, {@link ToolBusProvider}, {@link ToolProvider}, {@link
 * FunctionProvider}, model providers) with {@link ServiceLoader}, so that every kind of plugin
 * follows the same rules:
 *
 * <ul>
 *   <li><b>Class loader:</b> the thread context class loader when it is set and sees the same SPI
 *       interface, otherwise the SPI interface's own class loader. An application server or a test
 *       framework that sets the context loader thus sees its own plugins, and a context loader that
 *       cannot see agentrt does not break discovery.
 *   <li><b>Explicit registration wins:</b> a name registered in code is not looked up among the
 *       discovered plugins at all, so a discovered one of that name neither replaces it nor
 *       clashes.
 *   <li><b>Duplicates fail:</b> two discovered plugins of one name are an {@link AgentrtException}
 *       naming both classes (one class found twice, as through two copies of a jar, counts once).
 *   <li><b>Discovery off:</b> nothing is loaded; only what is registered in code is used.
 * </ul>
 *
 * @since 0.1
 */
public final class Plugins {
  private Plugins() {}

  /**
   * Every provider of {@code spi} on the class path (in {@link ServiceLoader} order, each class
   * once), or none when {@code discovery} is false.
   *
   * @throws java.util.ServiceConfigurationError if a listed provider cannot be loaded
   */
  public static <S> List<S> load(Class<S> spi, boolean discovery) {
    Objects.requireNonNull(spi, "spi");
    List<S> found = new ArrayList<>();
    if (!discovery) return found;
    Set<String> classes = new java.util.HashSet<>();
    for (S s : ServiceLoader.load(spi, loaderFor(spi))) {
      if (classes.add(s.getClass().getName())) found.add(s);
    }
    return found;
  }

  /**
   * Indexes discovered items by name, in the order found, skipping the names registered explicitly
   * (they win).
   *
   * @param found the discovered items
   * @param name an item's name
   * @param source the class an item comes from, for the message naming a clash (the item's
   *     provider)
   * @param explicit the names registered in code
   * @param clash the message of a clash, a {@link String#format} pattern given the name and the two
   *     class names, for example {@code "two NodeExecutorProviders declare kind '%s': %s, %s"}
   * @throws AgentrtException if two items from different classes have one name
   */
  public static <T> Map<String, T> index(
      List<? extends T> found,
      Function<? super T, String> name,
      Function<? super T, ?> source,
      Set<String> explicit,
      String clash) {
    Map<String, T> byName = new LinkedHashMap<>();
    for (T t : found) {
      String n = Objects.requireNonNull(name.apply(t), "name");
      if (explicit.contains(n)) continue;
      T prev = byName.putIfAbsent(n, t);
      if (prev == null) continue;
      String a = className(source.apply(prev));
      String b = className(source.apply(t));
      if (!a.equals(b)) throw new AgentrtException(String.format(clash, n, a, b));
    }
    return byName;
  }

  /** {@link #load} and {@link #index} in one, for providers that each have one name. */
  public static <S> Map<String, S> byName(
      Class<S> spi,
      boolean discovery,
      Function<? super S, String> name,
      Set<String> explicit,
      String clash) {
    return index(load(spi, discovery), name, s -> s, explicit, clash);
  }

  private static String className(Object o) {
    return o instanceof Class<?> c ? c.getName() : o.getClass().getName();
  }

  private static ClassLoader loaderFor(Class<?> spi) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      try {
        if (Class.forName(spi.getName(), false, context) == spi) return context;
      } catch (ClassNotFoundException | LinkageError e) {
        // the context loader cannot see agentrt: use the SPI's own loader
      }
    }
    ClassLoader own = spi.getClassLoader();
    return own != null ? own : ClassLoader.getSystemClassLoader();
  }
}
