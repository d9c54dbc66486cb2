package dev.agentrt.llm.internal;

import dev.agentrt.core.spi.Plugins;
import dev.agentrt.llm.spi.ModelProvider;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds {@link ModelProvider}s; two with one name are an error naming both classes. */
public final class ModelProviders {
  private static final Logger log = LoggerFactory.getLogger(ModelProviders.class);

  private ModelProviders() {}

  /**
   * The discovered providers by name ({@link Plugins} rules); {@code explicit} ones win over
   * discovered ones.
   */
  public static Map<String, ModelProvider> discover(List<ModelProvider> explicit) {
    Set<String> names = new HashSet<>();
    for (ModelProvider p : explicit) names.add(p.name());
    Map<String, ModelProvider> found =
        Plugins.byName(
            ModelProvider.class,
            true,
            ModelProvider::name,
            names,
            "two ModelProviders declare provider '%s': %s, %s"
                + " (remove one from the classpath, or pass one to AgentNodeExecutor.builder().modelProvider(...))");
    found.forEach(
        (name, p) ->
            log.debug(
                "discovered ModelProvider {} for provider '{}'", p.getClass().getName(), name));
    return of(found, explicit);
  }

  /** {@code base} with {@code explicit} added; an explicit one replaces a base one of its name. */
  public static Map<String, ModelProvider> of(
      Map<String, ModelProvider> base, List<ModelProvider> explicit) {
    Map<String, ModelProvider> all = new LinkedHashMap<>(base);
    Map<String, ModelProvider> seen = new LinkedHashMap<>();
    for (ModelProvider p : explicit) {
      ModelProvider prev = seen.putIfAbsent(p.name(), p);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two ModelProviders registered for provider '"
                + p.name()
                + "': "
                + prev.getClass().getName()
                + ", "
                + p.getClass().getName()
                + " (register one)");
      }
      all.put(p.name(), p);
    }
    return all;
  }
}
