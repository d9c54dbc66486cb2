package dev.agentrt.core.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeKeys;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one table of node kinds: every kind, built in or not, is a {@link NodeExecutor} found here by
 * its name. The built-in kinds are registered first; an executor of the runtime cannot take one of
 * their names. The keys each kind owns, and their checks, are the executors' {@link
 * NodeExecutor#nodeKeys()}; {@link #builtInKeys} gives those of the built-in kinds to the manifest
 * reader, which has the names of the registered functions but not the functions.
 */
final class NodeKinds {
  /** The kinds built into agent-core. */
  static final Set<String> BUILT_IN =
      Set.of(FunctionNodeExecutor.KIND, TransformNodeExecutor.KIND, WorkflowNodeExecutor.KIND);

  private NodeKinds() {}

  /**
   * The table: the built-in kinds, then {@code executors} (the runtime's, registered or
   * discovered), by kind.
   *
   * @throws IllegalArgumentException if an executor declares a built-in kind
   */
  static Map<String, NodeExecutor> table(
      Map<String, NodeFunction> functions, Map<String, NodeExecutor> executors) {
    Map<String, NodeExecutor> table = new HashMap<>();
    for (NodeExecutor builtIn :
        new NodeExecutor[] {
          new FunctionNodeExecutor(functions),
          new TransformNodeExecutor(),
          new WorkflowNodeExecutor()
        }) {
      table.put(builtIn.kind(), builtIn);
    }
    executors.forEach(
        (kind, executor) -> {
          if (table.putIfAbsent(kind, executor) != null)
            throw new IllegalArgumentException(builtInMessage(kind));
        });
    return table;
  }

  /**
   * The node keys of the built-in kinds, {@code functions} being the registered function names;
   * with {@code lenientFunctions}, a node naming another function is not a problem.
   */
  static Map<String, NodeKeys> builtInKeys(Set<String> functions, boolean lenientFunctions) {
    return Map.of(
        FunctionNodeExecutor.KIND, FunctionNodeExecutor.keys(functions, lenientFunctions),
        TransformNodeExecutor.KIND, TransformNodeExecutor.KEYS,
        WorkflowNodeExecutor.KIND, WorkflowNodeExecutor.KEYS);
  }

  /**
   * Refuses discovered providers of a built-in kind.
   *
   * @throws AgentrtException naming the first such provider's class and the kind
   */
  static void refuseBuiltIn(Collection<? extends NodeExecutorProvider> providers) {
    for (NodeExecutorProvider p : providers) {
      String kind = p.kind();
      if (BUILT_IN.contains(kind))
        throw new AgentrtException(
            "NodeExecutorProvider "
                + p.getClass().getName()
                + " declares kind '"
                + kind
                + "', which is built into agent-core and cannot be replaced (give the provider"
                + " another kind, or remove it from"
                + " META-INF/services/dev.agentrt.core.spi.NodeExecutorProvider)");
    }
  }

  /** Why an executor of {@code kind}, a built-in kind, is refused. */
  static String builtInMessage(String kind) {
    return "kind '" + kind + "' is built in and cannot be replaced";
  }
}
