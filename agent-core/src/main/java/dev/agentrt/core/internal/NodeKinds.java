package dev.agentrt.core.internal;

import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.spi.NodeExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one table of node kinds: every kind, built in or not, is a {@link NodeExecutor} found here by
 * its name. The built-in kinds are registered first; an executor of the runtime cannot take one of
 * their names.
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

  /** Why an executor of {@code kind}, a built-in kind, is refused. */
  static String builtInMessage(String kind) {
    return "kind '" + kind + "' is built in and cannot be replaced";
  }
}
