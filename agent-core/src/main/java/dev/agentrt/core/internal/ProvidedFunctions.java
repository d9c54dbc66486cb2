package dev.agentrt.core.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.spi.FunctionProvider;
import dev.agentrt.core.spi.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The functions of the {@link FunctionProvider}s on the classpath, by name. */
public final class ProvidedFunctions {
  private ProvidedFunctions() {}

  /** One provided function and the provider it comes from. */
  private record Provided(String name, NodeFunction function, FunctionProvider provider) {}

  /**
   * The functions every discovered provider offers, in discovery order, without the names in {@code
   * registered} (registered functions win); none when {@code discovery} is false.
   *
   * @throws AgentrtException if two providers of different classes provide one name (naming both)
   *     or a provider returns null
   */
  public static Map<String, NodeFunction> discover(boolean discovery, Set<String> registered) {
    List<Provided> found = new ArrayList<>();
    for (FunctionProvider p : Plugins.load(FunctionProvider.class, discovery)) {
      Map<String, NodeFunction> functions = p.functions();
      if (functions == null)
        throw new AgentrtException(
            p.getClass().getName() + ".functions() returned null (return Map.of())");
      functions.forEach(
          (name, function) ->
              found.add(
                  new Provided(
                      Objects.requireNonNull(name, "function name"),
                      Objects.requireNonNull(function, "function '" + name + "'"),
                      p)));
    }
    Map<String, Provided> byName =
        Plugins.index(
            found,
            Provided::name,
            Provided::provider,
            registered,
            "two FunctionProviders provide function '%s': %s, %s (remove one, or register one with"
                + " AgentRuntime.builder().function(...))");
    Map<String, NodeFunction> out = new java.util.LinkedHashMap<>();
    byName.forEach((name, p) -> out.put(name, p.function()));
    return out;
  }
}
