package dev.agentrt.core.spi;

import dev.agentrt.core.NodeFunction;
import java.util.Map;

/**
 * Discovers the Java functions of {@code kind: function} nodes through {@link
 * java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.agentrt.core.spi.FunctionProvider}. This is how an application's functions
 * reach a runtime it does not build itself, such as the {@code agentrt} command given the
 * application's classes with {@code --classpath}.
 *
 * <pre>{@code
 * public final class TriageFunctions implements FunctionProvider {
 *   public Map<String, NodeFunction> functions() {
 *     return Map.of("classify", (input, ctx) -> ...);
 *   }
 * }
 * }</pre>
 *
 * <p>Discovery follows the rules of {@link Plugins}: a function registered with {@link
 * dev.agentrt.core.AgentRuntime.Builder#function} wins over a provided one of the same name; two
 * providers (of different classes) providing one name are an error naming both classes; nothing is
 * discovered when the builder's {@code discovery(false)} is set. {@link
 * dev.agentrt.core.manifest.ManifestLoader} asks the providers for their names too, so validation
 * knows the provided functions.
 *
 * <p>A provider needs a public no-argument constructor. The functions it returns must be
 * thread-safe (see {@link NodeFunction}).
 *
 * @since 0.1
 */
public interface FunctionProvider {

  /**
   * The functions this provider offers, by the name a node's {@code function:} gives; called once
   * per runtime or loaded directory. Neither the map nor a name or function may be null.
   */
  Map<String, NodeFunction> functions();
}
