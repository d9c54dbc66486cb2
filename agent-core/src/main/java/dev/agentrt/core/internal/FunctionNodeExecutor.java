package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kind {@code function}: runs the Java function registered under the node's {@code function:} name.
 */
final class FunctionNodeExecutor extends BuiltInExecutor {
  static final String KIND = "function";

  private final Map<String, NodeFunction> functions;

  FunctionNodeExecutor(Map<String, NodeFunction> functions) {
    this.functions = Map.copyOf(functions);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return keys(functions.keySet(), false);
  }

  /**
   * Key {@code function}: required, naming one of {@code functions} (the registered names) unless
   * {@code lenient}.
   */
  static NodeKeys keys(Set<String> functions, boolean lenient) {
    // in registration order: a "did you mean" between equally close names stays the same
    Set<String> names = Collections.unmodifiableSet(new LinkedHashSet<>(functions));
    return NodeKeys.of(Set.of("function"), (node, manifests) -> check(node, names, lenient));
  }

  private static List<NodeProblem> check(NodeSpec node, Set<String> functions, boolean lenient) {
    String name = node.function();
    if (name == null)
      return List.of(
          NodeKeys.missing(KIND, "function", "the name of a function registered on the builder"));
    if (lenient || functions.contains(name)) return List.of();
    return List.of(new NodeProblem("function", notRegistered(name, functions)));
  }

  /** Why a node cannot call {@code name}, one of {@code functions} being meant perhaps. */
  static String notRegistered(String name, Set<String> functions) {
    String hint = Suggest.didYouMean(name, functions);
    return "function '"
        + name
        + "' is not registered"
        + (hint.isEmpty()
            ? " (register it with AgentRuntime.builder().function(\""
                + name
                + "\", ...) or provide it with a FunctionProvider)"
            : hint);
  }

  @Override
  void compile(CNode node) {
    node.function = functions.get(node.spec.function());
  }

  @Override
  NodeOutcome execute(StepContext step) throws Exception {
    // small, so that it is inlined into the step loop and the outcome is not allocated (hot path)
    JsonNode out = step.node.function.apply(step, step);
    return out != null ? new NodeOutcome.Completed(out) : returnedNull(step);
  }

  private static NodeOutcome returnedNull(StepContext step) {
    return new NodeOutcome.Failed(
        "function '"
            + step.node.spec.function()
            + "' returned null (return NullNode.getInstance() for no output)",
        null,
        false);
  }
}
