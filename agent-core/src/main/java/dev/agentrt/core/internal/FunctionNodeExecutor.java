package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.spi.NodeOutcome;
import java.util.Map;

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
