package dev.agentrt.llm.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.llm.spi.ModelProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds {@link ModelProvider}s; two with one name are an error naming both classes. */
public final class ModelProviders {
  private static final Logger log = LoggerFactory.getLogger(ModelProviders.class);

  private ModelProviders() {}

  /** The discovered providers by name; {@code explicit} ones win over discovered ones. */
  public static Map<String, ModelProvider> discover(List<ModelProvider> explicit) {
    Map<String, ModelProvider> found = new LinkedHashMap<>();
    for (ModelProvider p : ServiceLoader.load(ModelProvider.class, ModelProviders.class.getClassLoader())) {
      ModelProvider prev = found.putIfAbsent(p.name(), p);
      if (prev != null && prev.getClass() != p.getClass()) {
        throw new AgentrtException("two ModelProviders declare provider '" + p.name() + "': "
            + prev.getClass().getName() + ", " + p.getClass().getName()
            + " (remove one from the classpath, or pass one to AgentNodeExecutor.builder().modelProvider(...))");
      }
      log.debug("discovered ModelProvider {} for provider '{}'", p.getClass().getName(), p.name());
    }
    return of(found, explicit);
  }

  /** {@code base} with {@code explicit} added; an explicit one replaces a base one of its name. */
  public static Map<String, ModelProvider> of(Map<String, ModelProvider> base, List<ModelProvider> explicit) {
    Map<String, ModelProvider> all = new LinkedHashMap<>(base);
    Map<String, ModelProvider> seen = new LinkedHashMap<>();
    for (ModelProvider p : explicit) {
      ModelProvider prev = seen.putIfAbsent(p.name(), p);
      if (prev != null) {
        throw new IllegalArgumentException("two ModelProviders registered for provider '" + p.name() + "': "
            + prev.getClass().getName() + ", " + p.getClass().getName() + " (register one)");
      }
      all.put(p.name(), p);
    }
    return all;
  }
}
